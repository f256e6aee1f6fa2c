//go:build go1.22

// Package b uses a's facts.
package b

import (
	"sync"

	"example.com/facts/a"
)

var token = sync.OnceValues(a.Fetch) // want `sync.OnceValues keeps the first error of a.Fetch for ever`

func Token() (string, error) { return token() }

var (
	wrapOnce sync.Once
	wrapped  *a.Client
	wrapErr  error
)

func Wrapped() (*a.Client, error) {
	wrapOnce.Do(func() {
		wrapped = a.New()
		wrapErr = a.Wrap() // want `sync.Once keeps the error of a.Wrap for ever`
	})
	return wrapped, wrapErr
}

// a.New never returns nil: the sync.OnceValue fix is offered.
var client *a.Client

func Client() *a.Client {
	if client == nil { // want `lazy initialisation of client is not synchronised`
		client = a.New()
	}
	return client
}
