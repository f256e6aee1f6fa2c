// Package gobreaker is a stub of github.com/sony/gobreaker v1.
package gobreaker

import (
	"errors"
	"time"
)

type State int

const (
	StateClosed State = iota
	StateHalfOpen
	StateOpen
)

var (
	ErrTooManyRequests = errors.New("too many requests")
	ErrOpenState       = errors.New("circuit breaker is open")
)

type Counts struct {
	Requests             uint32
	TotalSuccesses       uint32
	TotalFailures        uint32
	ConsecutiveSuccesses uint32
	ConsecutiveFailures  uint32
}

type Settings struct {
	Name          string
	MaxRequests   uint32
	Interval      time.Duration
	Timeout       time.Duration
	ReadyToTrip   func(counts Counts) bool
	OnStateChange func(name string, from State, to State)
	IsSuccessful  func(err error) bool
}

type CircuitBreaker struct{ st Settings }

func NewCircuitBreaker(st Settings) *CircuitBreaker { return &CircuitBreaker{st: st} }

func (cb *CircuitBreaker) Name() string { return cb.st.Name }

func (cb *CircuitBreaker) Execute(req func() (interface{}, error)) (interface{}, error) {
	return req()
}

type TwoStepCircuitBreaker struct{ cb *CircuitBreaker }

func NewTwoStepCircuitBreaker(st Settings) *TwoStepCircuitBreaker {
	return &TwoStepCircuitBreaker{cb: NewCircuitBreaker(st)}
}

func (tscb *TwoStepCircuitBreaker) Allow() (done func(success bool), err error) {
	return func(bool) {}, nil
}
