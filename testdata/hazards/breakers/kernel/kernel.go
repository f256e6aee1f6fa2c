// Package kernel holds the post-mortem's "canonical kernel breaker": the
// first of five circuit breakers of one codebase, none sharing state.
package kernel

import (
	"errors"
	"sync"
	"time"
)

type State int

const (
	Closed State = iota
	HalfOpen
	Open
)

var ErrOpen = errors.New("kernel: circuit open")

// Breaker trips after Threshold consecutive failures and half-opens after
// Cooldown.
type Breaker struct {
	mu        sync.Mutex
	state     State
	failures  int
	Threshold int
	Cooldown  time.Duration
	openedAt  time.Time
}

func (b *Breaker) Call(fn func() error) error {
	b.mu.Lock()
	if b.state == Open {
		if time.Since(b.openedAt) < b.Cooldown {
			b.mu.Unlock()
			return ErrOpen
		}
		b.state = HalfOpen
	}
	b.mu.Unlock()
	err := fn()
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil {
		b.state, b.failures = Closed, 0
		return nil
	}
	b.failures++
	if b.state == HalfOpen || b.failures >= b.Threshold {
		b.state, b.openedAt = Open, time.Now()
	}
	return err
}

// NewBreaker makes a breaker; it is the callers' to keep.
func NewBreaker(threshold int, cooldown time.Duration) *Breaker {
	return &Breaker{Threshold: threshold, Cooldown: cooldown}
}
