package untracked

import (
	"net"
	"sync"
	"time"
)

// A keep-alive loop that returns when a write fails: closing the
// connection, which whoever holds it can do, ends it.
func keepAlive(c net.Conn) {
	t := time.NewTicker(time.Second)
	go func() { // silent: the connection can be closed
		for range t.C {
			if _, err := c.Write([]byte("ping")); err != nil {
				return
			}
		}
	}()
}

// A poller that stops once Close has set the flag its loop checks.
type FlagPoller struct {
	mu     sync.Mutex
	closed bool
}

func (p *FlagPoller) Start() {
	go func() { // silent: Close sets the flag the loop checks
		for {
			p.mu.Lock()
			if p.closed {
				p.mu.Unlock()
				return
			}
			p.mu.Unlock()
			time.Sleep(time.Second)
		}
	}()
}

func (p *FlagPoller) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

// A tracker with sync.WaitGroup's protocol, behind an interface.
type waiter interface {
	Add(int)
	Done()
	Wait()
}

func tracked(w waiter) {
	w.Add(1)
	go func() { // silent: w.Done counts it finished, for w.Wait
		defer w.Done()
		for {
			time.Sleep(time.Second)
		}
	}()
}
