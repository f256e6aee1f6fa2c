package untracked

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
	"golang.org/x/sync/errgroup"
)

// Waited for: Done in the goroutine, Add(n) before the loop.
func waitGroup(xs []int) {
	var wg sync.WaitGroup
	wg.Add(len(xs))
	for _, x := range xs {
		go func() { // silent: wg waits for it
			defer wg.Done()
			_ = x
		}()
	}
	wg.Wait()
}

func worker(wg *sync.WaitGroup) { defer wg.Done() } // want worker:"joins"

// Waited for: the started function receives the WaitGroup.
func passesWaitGroup() {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(&wg) // silent: worker counts itself done
	wg.Wait()
}

type Pool struct{ wg sync.WaitGroup }

func (p *Pool) run() { defer p.wg.Done() } // want run:"joins"

// Waited for: the started method calls Done.
func (p *Pool) Start() {
	p.wg.Add(1)
	go p.run() // silent: p.wg waits for it
}

type Tracker struct{ sync.WaitGroup }

// Waited for: the WaitGroup is embedded.
func (t *Tracker) Start() {
	t.Add(1)
	go func() { // silent: the embedded WaitGroup waits for it
		defer t.Done()
	}()
}

// wg.Go, errgroup and task start no go statement.
func others(ctx context.Context) error {
	var g errgroup.Group
	g.Go(func() error { return nil })
	task.Go(ctx, "untracked.others", func(context.Context) error { return nil })
	var wg sync.WaitGroup
	wg.Go(work)
	wg.Wait()
	return g.Wait()
}

// Waited for: the spawner receives the result.
func result() int {
	ch := make(chan int, 1)
	go func() { ch <- 1 }() // silent: received below
	return <-ch
}

// Waited for: the spawner waits for done to close.
func done() {
	done := make(chan struct{})
	go func() { // silent: done is waited on
		defer close(done)
		work()
	}()
	<-done
}

// Waited for: the caller receives from the returned channel.
func generate() <-chan int {
	ch := make(chan int)
	go func() { // silent: ch is returned
		defer close(ch)
		ch <- 1
	}()
	return ch
}

// Waited for: the spawner's caller owns the channel.
func reply(out chan<- error) {
	go func() { out <- nil }() // silent: out is the caller's
}

type Conn struct{ readDone chan struct{} }

// Waited for: a method of the type waits on the channel the reader closes.
func (c *Conn) Start() {
	c.readDone = make(chan struct{})
	go c.reader() // silent: Wait waits for it
}

func (c *Conn) reader()      { defer close(c.readDone) }
func (c *Conn) Wait()        { <-c.readDone }
func produce(out chan<- int) { out <- 1 }
func consume(in <-chan int)  {}

// Waited for: the worker sends on a channel the spawner receives from.
func fanIn() int {
	out := make(chan int)
	go produce(out) // silent: the spawner receives from out
	return <-out
}

type conn struct{}

func (c *conn) serve(ctx context.Context) {}

// Bounded: net/http's go c.serve(ctx).
func serveAll(ctx context.Context, cs []*conn) {
	for _, c := range cs {
		go c.serve(ctx) // silent: serve takes the context
	}
}

// Bounded: the goroutine selects on ctx.Done().
func watch(ctx context.Context) {
	go func() { // silent: ctx stops it
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Bounded: the goroutine passes the outer context on.
func passesContext(ctx context.Context) {
	go func() { workCtx(ctx) }() // silent: cancellation reaches the work
}

// Bounded: the request's context reaches the work.
func serveHTTP(w http.ResponseWriter, r *http.Request) {
	go func() { workCtx(r.Context()) }() // silent: the request's context stops it
}

type Poller struct{ stop chan struct{} }

// Bounded: a method of the type closes the stop channel the poller selects on.
func (p *Poller) Start() { go p.poll() } // silent: Close stops it

func (p *Poller) poll() {
	for {
		select {
		case <-p.stop:
			return
		case <-time.After(time.Second):
		}
	}
}

func (p *Poller) Close() { close(p.stop) }

type Feeder struct{ items chan string }

// Bounded: the loop ends when Close closes the channel it ranges over.
func (f *Feeder) Start() { go f.feed() } // silent: Close ends the loop

func (f *Feeder) feed() {
	for it := range f.items {
		_ = it
	}
}

func (f *Feeder) Close() { close(f.items) }

// Bounded: the stop channel is passed to the started function.
func emit(interval time.Duration, stop <-chan struct{}) {}

func startEmit() func() {
	stop := make(chan struct{})
	go emit(time.Second, stop) // silent: stop stops it
	return func() { close(stop) }
}

// Bounded: a worker of a pool ranges over jobs that the spawner closes.
func pool(jobs []int) {
	ch := make(chan int)
	go func() { // silent: the loop ends when ch is closed
		for j := range ch {
			_ = j
		}
	}()
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
}

// Bounded: the goroutine ranges over a channel it got from elsewhere.
func subscribe(sub func() <-chan int) {
	msgs := sub()
	go func() { // silent: the channel's owner ends the loop
		for m := range msgs {
			_ = m
		}
	}()
}

// Bounded: the started function receives from the caller's channel.
func follow(in <-chan int) {
	go consume(in) // silent: in is the caller's to close
}

type Hooks struct{ onStop []func() }

// A callback that someone registered: its supplier decides how long it
// runs, and the launcher rule covers functions passed as parameters.
func (h *Hooks) Stop() {
	for _, f := range h.onStop {
		go f() // silent: a registered callback
	}
}
