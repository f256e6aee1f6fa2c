// Package storage guards the object store with the third and fourth
// breakers: one of its own, with its state in an atomic, and gobreaker's.
package storage

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"
)

const (
	stateClosed = iota
	stateOpen
	stateHalfOpen
)

type breaker struct {
	state        atomic.Int32
	failureCount atomic.Int64
	resetTimeout time.Duration
}

func (b *breaker) record(err error) {
	if err == nil {
		b.failureCount.Store(0)
		b.state.Store(stateClosed)
		return
	}
	if b.failureCount.Add(1) >= 10 {
		b.state.Store(stateOpen)
	}
}

func (b *breaker) open() bool { return b.state.Load() == stateOpen }

var errStore = errors.New("storage: unavailable")

var objects = gobreaker.NewCircuitBreaker[[]byte](gobreaker.Settings{Name: "objects"})

// Get reads an object through gobreaker's breaker.
func Get(key string) ([]byte, error) {
	return objects.Execute(func() ([]byte, error) { return nil, errStore })
}
