package untracked // want package:"default tasks in untracked"

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"time"
)

type Listener struct{ srv *http.Server }

// Bounded: Close shuts the server down, which ends Serve.
func (l *Listener) Start(ln net.Listener) {
	go func() { // silent: Close stops the server it serves
		if err := l.srv.Serve(ln); err != nil {
			log.Print(err)
		}
	}()
}

func (l *Listener) Close() error { return l.srv.Close() }

type Reader struct{ conn net.Conn }

// Bounded: a read loop on a connection that Close closes.
func (r *Reader) Start() { go r.loop() } // silent: Close ends the loop

func (r *Reader) loop() {
	buf := make([]byte, 512)
	for {
		if _, err := r.conn.Read(buf); err != nil {
			return
		}
	}
}

func (r *Reader) Close() error { return r.conn.Close() }

// Not bounded: this goroutine is the one that closes the connection; but it
// ends by itself.
func (r *Reader) CloseLater() {
	go func() { // silent: ends by itself
		time.Sleep(time.Second)
		r.conn.Close()
	}()
}

type Monitor struct{ active atomic.Bool }

// Bounded: the loop stops when Stop clears the flag.
func (m *Monitor) Start() {
	m.active.Store(true)
	go func() { // silent: a stop flag ends the loop
		for m.active.Load() {
			time.Sleep(time.Second)
		}
	}()
}

func (m *Monitor) Stop() { m.active.Store(false) }

type ConnPool struct{ closedFlag atomic.Int32 }

func (p *ConnPool) closed() bool { return p.closedFlag.Load() == 1 }

// Bounded: the loop returns once the pool is closed.
func (p *ConnPool) Redial() {
	go func() { // silent: a stop flag, read through a method, ends the loop
		for {
			if p.closed() {
				return
			}
			time.Sleep(time.Second)
		}
	}()
}

var (
	janitorOnce sync.Once
	cleaning    atomic.Bool
)

func janitor() {
	for {
		time.Sleep(time.Minute)
	}
}

// Daemons started at most once per process are left alone.
func startJanitor() {
	janitorOnce.Do(func() {
		go janitor() // silent: once per process
	})
	if cleaning.CompareAndSwap(false, true) {
		go janitor() // silent: one at a time, by design
	}
}

func startJanitorLazily() {
	go janitor() // silent: this function only runs through janitorOnce.Do
}

func init() { janitorOnce.Do(startJanitorLazily) }

// A signal handler serves the whole process.
func handleSignals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go func() { // silent: waits for signals
		for range ch {
			log.Print("interrupt")
		}
	}()
}

// A goroutine that ends the process.
func exitLater() {
	go func() { // silent: it ends the process
		defer os.Exit(1)
		time.Sleep(time.Second)
	}()
}

// Waited for: the waiter on the condition hears from it.
func condition(mu *sync.Mutex, cond *sync.Cond, done *bool) {
	go func() { // silent: cond's waiter waits for it
		mu.Lock()
		*done = true
		mu.Unlock()
		cond.Broadcast()
	}()
}

// Waited for: the reader of the pipe reads until the writer is closed.
func pipe() io.Reader {
	pr, pw := io.Pipe()
	go func() { // silent: the reader waits for the close
		pw.Write([]byte("data"))
		pw.Close()
	}()
	return pr
}

// Waited for: the goroutine closes the connection it was writing to, and
// whoever reads the other end waits for that.
func handOver(c net.Conn) {
	go func() { // silent: closing c tells the reader it is done
		c.Write([]byte("data"))
		c.Close()
	}()
}

// Bounded: a stream carrying a context ends with it.
type stream interface {
	Recv() (string, error)
	Context() context.Context
}

func drainStream(s stream) {
	go func() { // silent: the stream's context ends the loop
		for {
			if _, err := s.Recv(); err != nil {
				return
			}
		}
	}()
}

// Bounded: a worker pool over a channel that its caller closes.
func workers() chan<- func() {
	tq := make(chan func())
	go func() { // silent: the caller closes tq
		for fn := range tq {
			fn()
		}
	}()
	return tq
}

// Waited for: the wrapper runs p.loop, and p.loop is bounded.
func withRecover(f func()) { // want withRecover:"guarded"
	defer func() { recover() }()
	f()
}

func (p *Poller) StartSafely() {
	go withRecover(p.poll) // silent: p.poll is bounded by Close
}

// A local closure is looked into.
func closureVar(xs []int) {
	var wg sync.WaitGroup
	worker := func(x int) {
		defer wg.Done()
		_ = x
	}
	for _, x := range xs {
		wg.Add(1)
		go worker(x) // silent: worker calls wg.Done
	}
	wg.Wait()
}

// go panic(err) is a deliberate crash.
func crash(err error) {
	go panic(err) // silent: a deliberate crash
}
