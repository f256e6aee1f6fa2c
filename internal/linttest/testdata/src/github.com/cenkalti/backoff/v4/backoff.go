// Package backoff is a stub of github.com/cenkalti/backoff/v4.
package backoff

import "time"

const DefaultRandomizationFactor = 0.5

type ExponentialBackOff struct {
	InitialInterval     time.Duration
	RandomizationFactor float64
	Multiplier          float64
	MaxInterval         time.Duration
	MaxElapsedTime      time.Duration
}

type ExponentialBackOffOpts func(*ExponentialBackOff)

func NewExponentialBackOff(opts ...ExponentialBackOffOpts) *ExponentialBackOff {
	return &ExponentialBackOff{RandomizationFactor: 0.5, Multiplier: 1.5}
}

func WithRandomizationFactor(f float64) ExponentialBackOffOpts {
	return func(b *ExponentialBackOff) { b.RandomizationFactor = f }
}

func (b *ExponentialBackOff) NextBackOff() time.Duration { return b.InitialInterval }
