package task_test

import (
	"context"
	"sync"
	"testing"

	"github.com/resilvet/resilvet/runtime/task"
)

// The per-task cost of starting tasks in batches of 100 and joining each
// batch, as bench/runtimecmp's BenchmarkFanout measures it beside errgroup
// (which must stay out of this module's requirements). This file adds the
// package-level Go, whose default group only this package can reopen.

const batch = 100

func noop(context.Context) error { return nil }

func BenchmarkGo(b *testing.B) {
	ctx := context.Background()
	b.Run("go+WaitGroup", func(b *testing.B) {
		b.ReportAllocs()
		var wg sync.WaitGroup
		for i := 0; i < b.N; i++ {
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
	b.Run("Group.Go", func(b *testing.B) {
		b.ReportAllocs()
		g := new(task.Group)
		for i := 0; i < b.N; i++ {
			g.Go("bench", noop)
			if i%batch == batch-1 {
				if err := g.Shutdown(ctx); err != nil {
					b.Fatal(err)
				}
				g = new(task.Group)
			}
		}
		if err := g.Shutdown(ctx); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("task.Go", func(b *testing.B) {
		b.ReportAllocs()
		task.ReopenDefault()
		defer task.ReopenDefault()
		for i := 0; i < b.N; i++ {
			task.Go(ctx, "bench", noop)
			if i%batch == batch-1 {
				if err := task.Shutdown(ctx); err != nil {
					b.Fatal(err)
				}
				task.ReopenDefault()
			}
		}
		if err := task.Shutdown(ctx); err != nil {
			b.Fatal(err)
		}
	})
}
