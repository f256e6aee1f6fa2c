package untracked

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Shapes of services' goroutines that end, or that another method stops,
// and look-alikes that keep running.

// A loop that waits for an answer ends with it: dial races the attempts
// and returns the first connection, as net's dialParallel does.
func dial(addrs []string) (net.Conn, error) {
	results := make(chan net.Conn)
	for _, a := range addrs {
		go func() {
			c, err := net.Dial("tcp", a)
			if err == nil {
				results <- c
			}
		}()
	}
	timeout := time.After(time.Second)
	for {
		select {
		case c := <-results:
			return c, nil
		case <-timeout:
			return nil, errors.New("timeout")
		}
	}
}

func notify(addrs []string) {
	go func() { // silent: each dial returns, and the loop over addrs ends
		for _, a := range addrs {
			if c, err := dial([]string{a}); err == nil {
				c.Close()
			}
		}
	}()
}

// A loop that only ever returns an error keeps running until it fails.
type ConnPump struct{ conns chan net.Conn }

func (p *ConnPump) loop() error {
	for {
		select {
		case c := <-p.conns:
			c.Close()
		case <-time.After(time.Minute):
			return errors.New("idle")
		}
	}
}

func (p *ConnPump) Start() {
	go p.loop() // want `goroutine is never waited for`
}

// A select with a default case does not wait: a loop that only polls
// through one waits for nothing in each round.
type Queue struct {
	mu    sync.Mutex
	items []int
	kick  chan int
}

func (q *Queue) drain() {
	for {
		select {
		case q.kick <- 1:
		default:
		}
		q.mu.Lock()
		n := len(q.items)
		q.mu.Unlock()
		if n == 0 {
			return
		}
	}
}

func (q *Queue) Drain() {
	go q.drain() // silent: it stops when the queue is empty, and never waits
}

// With a wait in a clause's body, the loop does wait.
func (q *Queue) pace() {
	for {
		select {
		case q.kick <- 1:
		default:
			time.Sleep(time.Second)
		}
	}
}

func (q *Queue) Pace() {
	go q.pace() // want `goroutine is never waited for`
}

// A stop channel of any type: Shutdown sends true, and the case that
// receives it returns.
type Zone struct {
	shutdown chan bool
}

func (z *Zone) Reload() {
	tick := time.NewTicker(time.Minute)
	go func() { // silent: Shutdown's send stops it
		for {
			select {
			case <-tick.C:
				work()
			case <-z.shutdown:
				tick.Stop()
				return
			}
		}
	}()
}

func (z *Zone) Shutdown() { z.shutdown <- true }

// A value received and used is work, not a stop signal.
type Feed struct{ items chan int }

func (f *Feed) Start() {
	go func() { // want `goroutine is never waited for`
		for {
			select {
			case v := <-f.items:
				_ = v
			case <-time.After(time.Second):
				return
			}
		}
	}()
}

// A stop flag read into a local under the lock, as a supervisor reads it
// between restarts of its child.
type Supervisor struct {
	mu     sync.RWMutex
	closed bool
}

func (s *Supervisor) runLoop() {
	for {
		s.mu.RLock()
		closed := s.closed
		s.mu.RUnlock()
		if closed {
			return
		}
		time.Sleep(time.Second)
	}
}

func (s *Supervisor) Start() { go s.runLoop() } // silent: Close sets the flag the loop reads

func (s *Supervisor) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

// A local that nothing outside the loop can change stops nothing.
func (s *Supervisor) spin() {
	for {
		done := false
		if done {
			return
		}
		time.Sleep(time.Second)
	}
}

func (s *Supervisor) Spin() { go s.spin() } // want `goroutine is never waited for`

// A wait on the way out of a loop happens once: a drain loop empties the
// channel, then sends its last message and returns.
type Session struct{ queue, last chan int }

func (s *Session) closeLagging() {
	for {
		select {
		case <-s.queue:
		default:
			s.last <- -1
			return
		}
	}
}

func (s *Session) Close() {
	go s.closeLagging() // silent: it drains what is queued, once
}

// (Queue.pace above waits in its default clause in every round.)

// A deferred select {} keeps a crashing goroutine for the crash dump, as
// singleflight's does after re-panicking elsewhere: the call still ends.
type Call struct{ val int }

func (c *Call) do() { // want do:"guarded"
	defer func() {
		if r := recover(); r != nil {
			go panic(r)
			select {}
		}
	}()
	c.val = 1
}

func (c *Call) Start() {
	go c.do() // silent: a deferred wait is cleanup
}

// A loop that returns once its context is done lives as long as the
// context: http.Server.Shutdown polls its connections until they are idle
// or its ctx ends, here with a deadline.
func stopLater(srv *http.Server) {
	go func() { // silent: Shutdown ends with its deadline
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
}

// A loop that returns once its send goes through hands one event over,
// restarting the receiver it needs if it stopped.
type Relay struct {
	events  chan int
	stopped chan bool
}

func (r *Relay) run() {
	for range r.events {
	}
}

func (r *Relay) input(ev int) {
	for {
		select {
		case r.events <- ev:
			return
		case <-r.stopped:
			go r.run() // want `goroutine is never waited for`
		}
	}
}

// Three calls down, where the send is not seen as a reply to anyone.
func (r *Relay) discover(ev int)       { r.startDiscovery(ev) }
func (r *Relay) startDiscovery(ev int) { r.queueDiscovery(ev) }
func (r *Relay) queueDiscovery(ev int) { r.input(ev) }

func (r *Relay) Discover(ev int) {
	go r.discover(ev) // silent: it ends once the event is handed over
}
