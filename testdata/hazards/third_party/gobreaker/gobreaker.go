// Package gobreaker is a stand-in for github.com/sony/gobreaker/v2 with
// the API the hazards use, so that the hazards module needs no network.
package gobreaker

import "time"

type Counts struct{ ConsecutiveFailures uint32 }

type Settings struct {
	Name        string
	Timeout     time.Duration
	ReadyToTrip func(counts Counts) bool
}

type CircuitBreaker[T any] struct{ st Settings }

func NewCircuitBreaker[T any](st Settings) *CircuitBreaker[T] { return &CircuitBreaker[T]{st: st} }

func (cb *CircuitBreaker[T]) Execute(req func() (T, error)) (T, error) { return req() }
