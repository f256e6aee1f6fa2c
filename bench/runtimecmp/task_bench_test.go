package runtimecmp_test

import (
	"context"
	"sync"
	"testing"

	"github.com/resilvet/resilvet/runtime/task"
	"golang.org/x/sync/errgroup"
)

// Each benchmark's fn does nothing, so ns/op and allocs/op are the cost of
// the primitive itself. task.Go on the default group costs one allocation
// more than Group.Go; it is measured in runtime/task, which can reopen its
// default group between runs.

func noop(context.Context) error { return nil }

// batch is how many tasks BenchmarkFanout starts before each join.
const batch = 100

// BenchmarkFanout starts tasks in batches of 100 and joins each batch: the
// per-task cost of starting and finishing, with the join amortised. (Starting
// all b.N tasks before one join measures the scheduler under millions of
// parked goroutines instead, and varies threefold between runs.)
func BenchmarkFanout(b *testing.B) {
	ctx := context.Background()
	b.Run("go+WaitGroup", func(b *testing.B) {
		b.ReportAllocs()
		var wg sync.WaitGroup
		for i := range b.N {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = noop(ctx)
			}()
			if i%batch == batch-1 {
				wg.Wait()
			}
		}
		wg.Wait()
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		var g errgroup.Group
		for i := range b.N {
			g.Go(func() error { return noop(ctx) })
			if i%batch == batch-1 {
				_ = g.Wait()
			}
		}
		_ = g.Wait()
	})
	b.Run("errgroup.WithContext", func(b *testing.B) {
		b.ReportAllocs()
		g, gctx := errgroup.WithContext(ctx)
		for i := range b.N {
			g.Go(func() error { return noop(gctx) })
			if i%batch == batch-1 {
				_ = g.Wait()
				g, gctx = errgroup.WithContext(ctx) // Wait cancelled gctx
			}
		}
		_ = g.Wait()
	})
	b.Run("task.Group", func(b *testing.B) {
		b.ReportAllocs()
		g := new(task.Group)
		for i := range b.N {
			g.Go("bench", noop)
			if i%batch == batch-1 {
				if err := g.Shutdown(ctx); err != nil {
					b.Fatal(err)
				}
				g = new(task.Group) // a shut-down group starts nothing
			}
		}
		if err := g.Shutdown(ctx); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkStartJoin starts one task and waits for it, b.N times: the
// latency of a single tracked task, wake-up included.
func BenchmarkStartJoin(b *testing.B) {
	ctx := context.Background()
	b.Run("go+WaitGroup", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = noop(ctx)
			}()
			wg.Wait()
		}
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var g errgroup.Group
			g.Go(func() error { return noop(ctx) })
			_ = g.Wait()
		}
	})
	b.Run("errgroup.WithContext", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			g, gctx := errgroup.WithContext(ctx)
			g.Go(func() error { return noop(gctx) })
			_ = g.Wait()
		}
	})
	b.Run("task.Group", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var g task.Group
			g.Go("bench", noop)
			if err := g.Shutdown(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
