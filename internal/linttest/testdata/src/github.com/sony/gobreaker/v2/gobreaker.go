// Package gobreaker is a stub of github.com/sony/gobreaker/v2.
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
	BucketPeriod  time.Duration
	Timeout       time.Duration
	ReadyToTrip   func(counts Counts) bool
	OnStateChange func(name string, from State, to State)
	IsSuccessful  func(err error) bool
	IsExcluded    func(err error) bool
}

type CircuitBreaker[T any] struct{ st Settings }

func NewCircuitBreaker[T any](st Settings) *CircuitBreaker[T] { return &CircuitBreaker[T]{st: st} }

func (cb *CircuitBreaker[T]) Name() string { return cb.st.Name }

func (cb *CircuitBreaker[T]) State() State { return StateClosed }

func (cb *CircuitBreaker[T]) Execute(req func() (T, error)) (T, error) { return req() }

type TwoStepCircuitBreaker[T any] struct{ cb *CircuitBreaker[T] }

func NewTwoStepCircuitBreaker[T any](st Settings) *TwoStepCircuitBreaker[T] {
	return &TwoStepCircuitBreaker[T]{cb: NewCircuitBreaker[T](st)}
}

func (tscb *TwoStepCircuitBreaker[T]) Allow() (done func(err error), err error) {
	return func(error) {}, nil
}

type SharedDataStore interface {
	GetData(name string) ([]byte, error)
	SetData(name string, data []byte) error
}

type DistributedCircuitBreaker[T any] struct{ *CircuitBreaker[T] }

func NewDistributedCircuitBreaker[T any](store SharedDataStore, settings Settings) (*DistributedCircuitBreaker[T], error) {
	return &DistributedCircuitBreaker[T]{NewCircuitBreaker[T](settings)}, nil
}
