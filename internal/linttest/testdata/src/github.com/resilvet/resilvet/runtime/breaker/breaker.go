// Package breaker is a stub of the runtime package the fixes import.
package breaker

import (
	"context"
	"errors"
	"time"
)

var ErrOpen = errors.New("breaker: open")

type State int

const (
	StateClosed State = iota
	StateHalfOpen
	StateOpen
)

type Counts struct {
	Requests             uint32
	TotalSuccesses       uint32
	TotalFailures        uint32
	TotalExclusions      uint32
	ConsecutiveSuccesses uint32
	ConsecutiveFailures  uint32
}

type Settings struct {
	MaxRequests   uint32
	Interval      time.Duration
	Timeout       time.Duration
	ReadyToTrip   func(counts Counts) bool
	OnStateChange func(name string, from, to State)
	IsSuccessful  func(err error) bool
	IsExcluded    func(err error) bool
}

type Breaker struct{ name string }

func Get(name string, s Settings) (*Breaker, error) { return &Breaker{name: name}, nil }

func (b *Breaker) Do(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }

func (b *Breaker) Allow(ctx context.Context) (done func(err error), err error) {
	return func(error) {}, nil
}

func (b *Breaker) State() State { return StateClosed }

func Execute[T any](ctx context.Context, b *Breaker, fn func(ctx context.Context) (T, error)) (T, error) {
	return fn(ctx)
}
