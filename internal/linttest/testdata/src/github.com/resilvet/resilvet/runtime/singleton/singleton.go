// Package singleton is a stub of the runtime package for the analyzer's tests.
package singleton

import (
	"context"
	"time"
)

type Lazy[T any] struct {
	New        func(ctx context.Context) (T, error)
	Cleanup    func(T)
	Timeout    time.Duration
	RetryDelay time.Duration
	Name       string
}

func (l *Lazy[T]) Get(ctx context.Context) (T, error) { return l.New(ctx) }

func (l *Lazy[T]) Reset() (old T, ok bool) { return old, false }
