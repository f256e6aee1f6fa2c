// Package circuitbreaker is a stub of github.com/failsafe-go/failsafe-go/circuitbreaker.
package circuitbreaker

import (
	"time"

	"github.com/failsafe-go/failsafe-go"
)

type CircuitBreaker[R any] interface {
	failsafe.Policy[R]
	IsOpen() bool
}

type Builder[R any] interface {
	WithFailureThreshold(threshold uint) Builder[R]
	WithDelay(delay time.Duration) Builder[R]
	Build() CircuitBreaker[R]
}

func NewWithDefaults[R any]() CircuitBreaker[R] { return nil }

func NewBuilder[R any]() Builder[R] { return nil }
