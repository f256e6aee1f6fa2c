package call

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"
)

type scraper struct{ req *http.Request }

// The request is built once and kept: every later use brings its ctx.
func (s *scraper) prepare(ctx context.Context, url string) error {
	req, err := http.NewRequest("GET", url, nil) // silent: stored in a field below, for later calls
	s.req = req
	_ = ctx
	return err
}

func (s *scraper) build(ctx context.Context, url string) (err error) {
	s.req, err = http.NewRequest("GET", url, nil) // silent: stored in a field, for later calls
	_ = ctx
	return err
}

// The request is written onto a connection by hand: nothing reads its
// context.
func writeRaw(ctx context.Context, conn net.Conn, url string) error {
	req, err := http.NewRequest("GET", url, nil) // silent: never sent through a client
	if err != nil {
		return err
	}
	_ = ctx
	return req.Write(conn)
}

// Sent through a client: the context matters.
func send(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequest("GET", url, nil) // want `http.NewRequest is not cancelled when ctx is`
	if err != nil {
		return err
	}
	_, err = c.Do(req)
	return err
}

// A unix socket: nothing remote to give up on.
func local(ctx context.Context) (net.Conn, error) {
	_ = ctx
	return net.Dial("unix", "/run/app.sock") // silent: a local socket
}

// A result dropped into _ is not stored for later.
func dropped(ctx context.Context, c *http.Client, url string) error {
	if _, err := http.Get(url); err != nil { // want `http.Get is not cancelled when ctx is`
		return err
	}
	_ = c
	return nil
}

// A TLS connection used as a net.Conn: DialContext's result serves.
func dialTLS(ctx context.Context, cfg *tls.Config, addr string) error {
	conn, err := tls.Dial("tcp", addr, cfg) // want `tls.Dial is not cancelled when ctx is: use \(&tls.Dialer{…}\).DialContext\(ctx, …\)`
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = io.WriteString(conn, "ping")
	return err
}

func dialTLSWith(ctx context.Context, cfg *tls.Config, addr string) (net.Conn, error) {
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, cfg) // want `tls.DialWithDialer is not cancelled`
	if conn == nil {
		return nil, err
	}
	return conn, nil
}

// Used as a *tls.Conn, or given a dialer that may be nil: no fix.
func dialTLSState(ctx context.Context, cfg *tls.Config, addr string) (tls.ConnectionState, error) {
	conn, err := tls.Dial("tcp", addr, cfg) // want `tls.Dial is not cancelled`
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer conn.Close()
	return conn.ConnectionState(), nil
}

func dialTLSReturn(ctx context.Context, d *net.Dialer, cfg *tls.Config, addr string) (*tls.Conn, error) {
	conn, err := tls.DialWithDialer(d, "tcp", addr, cfg) // want `tls.DialWithDialer is not cancelled`
	return conn, err
}
