// Package singleflight is a stub of golang.org/x/sync/singleflight.
package singleflight

type Result struct {
	Val    any
	Err    error
	Shared bool
}

type Group struct{}

func (g *Group) Do(key string, fn func() (any, error)) (v any, err error, shared bool) {
	v, err = fn()
	return v, err, false
}

func (g *Group) DoChan(key string, fn func() (any, error)) <-chan Result {
	ch := make(chan Result, 1)
	v, err := fn()
	ch <- Result{Val: v, Err: err}
	return ch
}

func (g *Group) Forget(key string) {}
