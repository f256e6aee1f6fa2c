// Package retry is a stub of the runtime package the fixes import.
package retry

import (
	"context"
	"time"
)

type Policy struct {
	MaxAttempts int
	Base, Max   time.Duration
	Jitter      func(d time.Duration) time.Duration
}

func Do(ctx context.Context, p Policy, op func(ctx context.Context) error) error { return op(ctx) }

// Jitter returns a random duration in [0, d).
func Jitter(d time.Duration) time.Duration { return d / 2 }
