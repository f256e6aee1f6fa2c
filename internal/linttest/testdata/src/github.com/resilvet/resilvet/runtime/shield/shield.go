// Package shield is a stub of the runtime package for the analyzer's tests.
package shield

import (
	"context"
	"sync"
	"time"
)

func Sleep(ctx context.Context, d time.Duration) error { return nil }

func Wait(ctx context.Context, wg *sync.WaitGroup) error { return nil }

type Group[K comparable, V any] struct{}

func (g *Group[K, V]) Do(ctx context.Context, key K, fn func(context.Context) (V, error)) (V, error) {
	return fn(ctx)
}
