// Package strict holds goroutines that nothing waits for but that the
// default profile leaves alone — one-shots that end by themselves, a
// process's daemons, callbacks — which the strict profile reports: "no
// goroutine untracked".
package strict

import (
	"context"
	"net/http"
	"sync"
	"time"
)

func work()                     {}
func workCtx(_ context.Context) {}

func bare() {
	go work() // want `goroutine is never waited for: it can outlive shutdown; start it with task.Go, which task.Shutdown waits for`
}

func closure() {
	go func() { // want `goroutine is never waited for`
		work()
	}()
}

type Cache struct{ m sync.Map }

func (c *Cache) persist(k string) { c.m.Store(k, true) }

func (c *Cache) Set(k string) {
	go c.persist(k) // want `goroutine is never waited for`
}

func (c *Cache) janitor() {
	for {
		time.Sleep(time.Minute)
	}
}

func NewCache() *Cache {
	c := new(Cache)
	go c.janitor() // want `goroutine is never waited for`
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

// Nobody receives what the goroutine sends.
func sendsNowhere() {
	ch := make(chan int, 1)
	go func() { // want `goroutine is never waited for`
		ch <- 1
	}()
}

// A context made inside the goroutine bounds nothing.
func ownContext() {
	go func() { // want `goroutine is never waited for`
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		workCtx(ctx)
	}()
}

// A detached context does not reach the goroutine's work either.
func detached(ctx context.Context) {
	go func() { // want `goroutine is never waited for`
		workCtx(context.WithoutCancel(ctx))
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

// The goroutine the spawner waits for starts another that nothing waits for.
func nested() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		go work() // want `goroutine is never waited for`
	}()
	<-done
}

// A func value: its body is unknown.
func value(f func()) { // want value:"launches f untracked"
	go f() // want `goroutine is never waited for`
}

// In a handler, the request's context is available but not used.
func handler(w http.ResponseWriter, r *http.Request) {
	go work() // want `goroutine is never waited for`
}
