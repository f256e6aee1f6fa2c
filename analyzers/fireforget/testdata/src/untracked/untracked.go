// Package untracked holds goroutines that nothing waits for, and their
// silent look-alikes. In the default profile a goroutine is a hazard only if
// it keeps running — a loop that waits on a channel, a timer or a listener
// — until something stops it; one that ends by itself is left to the strict
// profile (package strict has the same shapes, reported).
package untracked

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"untracked/serve"
)

func work()                     {}
func workCtx(_ context.Context) {}

func bare() {
	go work() // silent: one call that ends by itself
}

func closure() {
	go func() { // silent: ends by itself
		work()
	}()
}

type Cache struct{ m sync.Map }

func (c *Cache) persist(k string) { c.m.Store(k, true) }

func (c *Cache) Set(k string) {
	go c.persist(k) // silent: ends by itself
}

func (c *Cache) janitor() {
	for {
		time.Sleep(time.Minute)
	}
}

func NewCache() *Cache {
	c := new(Cache)
	go c.janitor() // want `goroutine is never waited for: it can outlive shutdown; start it with task.Go, which task.Shutdown waits for`
	return c
}

// A ticker's channel is never closed: it stops nothing.
func ticking() {
	t := time.NewTicker(time.Second)
	go func() { // want `goroutine is never waited for`
		for range t.C {
			work()
		}
	}()
}

// Nobody receives what the goroutine sends, but it sends once and ends.
func sendsNowhere() {
	ch := make(chan int, 1)
	go func() { // silent: ends by itself
		ch <- 1
	}()
}

// A context made inside the goroutine bounds nothing, but its work ends.
func ownContext() {
	go func() { // silent: ends by itself
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		workCtx(ctx)
	}()
}

// The server's request channel is never closed, so its loop never ends.
type Server struct{ reqs chan int }

func NewServer() *Server {
	s := &Server{reqs: make(chan int)}
	go s.loop() // want `goroutine is never waited for`
	return s
}

func (s *Server) loop() {
	for r := range s.reqs {
		_ = r
	}
}

func (s *Server) Do(r int) { s.reqs <- r }

// The goroutine the spawner waits for starts one that polls for ever.
func nested() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		go func() { // want `goroutine is never waited for`
			for {
				time.Sleep(time.Second)
			}
		}()
	}()
	<-done
}

// A func value: its body is unknown, so it is not known to keep running.
func value(f func()) { // want value:"launches f untracked"
	go f() // silent: its function is unknown
}

// Passed to a launcher that starts it untracked, a function that keeps
// running is reported where the launcher is called.
func poll() {
	for {
		time.Sleep(time.Second)
	}
}

func viaLauncher() {
	value(poll) // want `untracked.value starts its argument on a goroutine that is never waited for: it can outlive shutdown`
	value(work) // silent: work ends by itself
}

// In a handler: a poller started per request that nothing stops.
func handler(w http.ResponseWriter, r *http.Request) {
	go poll() // want `goroutine is never waited for`
}

// A package-level server nobody can stop: http.Server.Serve's accept loop
// keeps running (a fact of net/http says so).
func serveDebug() {
	go http.ListenAndServe("localhost:6060", nil) // want `goroutine is never waited for`
}

// The same through a package with no loop of its own: serve.Debug runs
// by its callee's fact alone.
func serveWrapped() {
	go serve.Debug()              // want `goroutine is never waited for`
	go fmt.Println(serve.Hello()) // silent: ends by itself
}

// Logging and printing end: package fmt and log wait on nothing, even
// though the runtime beneath them has a receive on a rare path.
func logs() {
	go func() { // silent: ends by itself
		log.Printf("refreshed")
		fmt.Println("done")
	}()
}

// A loop whose body calls a helper that waits, once per round, runs.
type Pump struct{ in chan int }

func (p *Pump) next() int { return <-p.in }

func (p *Pump) run() {
	for {
		_ = p.next()
	}
}

func NewPump() *Pump {
	p := &Pump{in: make(chan int)}
	go p.run() // want `goroutine is never waited for`
	return p
}

// A wait two calls down the loop's body is on a path it rarely takes, if
// at all: the loop is taken to end by itself.
func (p *Pump) drain() int { return p.next() }

func (p *Pump) collect(n int) {
	for {
		if n == 0 {
			return
		}
		n--
		_ = p.drain()
	}
}

func (p *Pump) Collect() {
	go p.collect(3) // silent: the wait is two calls away
}
