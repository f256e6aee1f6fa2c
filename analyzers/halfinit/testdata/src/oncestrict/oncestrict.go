package oncestrict

import (
	"errors"
	"net"
	"os"
	"sync"
)

// A Once in a struct lives as long as its value, which may be one
// request: reported in the strict profile only, and never fixed.
type Client struct {
	addr string
	once sync.Once
	conn net.Conn
	err  error

	closeOnce sync.Once
	closeErr  error
}

func (c *Client) Conn() (net.Conn, error) {
	c.once.Do(func() {
		c.conn, c.err = net.Dial("tcp", c.addr) // want `sync.Once keeps the error of net.Dial for ever`
	})
	return c.conn, c.err
}

// Silent even so: a Close run once keeps its error on purpose.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.closeErr = c.conn.Close()
	})
	return c.closeErr
}

// Silent even so: a probe, whose failure is its answer.
var (
	probeOnce sync.Once
	ipv4      bool
)

func IPv4() bool {
	probeOnce.Do(func() {
		if ln, err := net.Listen("tcp4", "127.0.0.1:0"); err == nil {
			ipv4 = true
			ln.Close()
		}
	})
	return ipv4
}

// Silent even so: the failure's kind is tested.
type Notifier struct{ conn net.Conn }

var (
	notifyOnce sync.Once
	notifier   *Notifier
)

func Notify() *Notifier {
	notifyOnce.Do(func() {
		conn, err := net.Dial("unixgram", "/run/notify")
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return
		}
		notifier = &Notifier{conn: conn}
	})
	return notifier
}
