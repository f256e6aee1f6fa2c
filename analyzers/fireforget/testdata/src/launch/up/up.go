// Package up declares launchers: functions that start a function they are
// given on a goroutine.
package up

import (
	"context"
	"sync"
)

// SafeGo starts f on a goroutine that nothing waits for.
func SafeGo(f func()) { // want SafeGo:"launches f untracked"
	go func() { // want `goroutine is never waited for`
		defer func() { recover() }()
		f()
	}()
}

// Group starts functions that Wait waits for.
type Group struct{ wg sync.WaitGroup }

func (g *Group) Go(f func()) { // want Go:"launches f waited"
	g.wg.Add(1)
	go func() { // silent: g.wg waits for it
		defer g.wg.Done()
		f()
	}()
}

func (g *Group) Wait() { g.wg.Wait() }

// Spawn starts f through SafeGo: a launcher too.
func Spawn(name string, f func()) { // want Spawn:"launches f untracked"
	SafeGo(f) // want `up.SafeGo starts its argument on a goroutine that is never waited for`
}

// Ahead starts f through Behind, which is declared after it, in a literal
// that calls f: a launcher too, found however the package orders them.
func Ahead(f func()) { // want Ahead:"launches f untracked"
	Behind(func() { f() }) // want `up.Behind starts its argument on a goroutine that is never waited for`
}

// Behind starts f through SafeGo.
func Behind(f func()) { // want Behind:"launches f untracked"
	SafeGo(f) // want `up.SafeGo starts its argument on a goroutine that is never waited for`
}

// WithContext starts f with a context that stops it.
func WithContext(ctx context.Context, f func(context.Context)) { // want WithContext:"launches f bounded"
	go f(ctx) // silent: bounded by ctx
}

// Recoverer recovers a panic when deferred.
func Recoverer() { recover() } // want Recoverer:"recovers"
