package task_test

import (
	"context"
	"sync"
	"testing"

	"github.com/resilvet/resilvet/runtime/task"
)

// The per-task cost of starting b.N tasks and joining them once. The
// comparison with errgroup lives in bench/runtimecmp so that errgroup stays
// out of this module's requirements.

func noop(context.Context) error { return nil }

func BenchmarkGo(b *testing.B) {
	b.Run("raw-go-waitgroup", func(b *testing.B) {
		b.ReportAllocs()
		var wg sync.WaitGroup
		ctx := context.Background()
		for range b.N {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = noop(ctx)
			}()
		}
		wg.Wait()
	})
	b.Run("Group.Go", func(b *testing.B) {
		b.ReportAllocs()
		var g task.Group
		for range b.N {
			g.Go("bench", noop)
		}
		if err := g.Shutdown(context.Background()); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("task.Go", func(b *testing.B) {
		b.ReportAllocs()
		task.ReopenDefault()
		defer task.ReopenDefault()
		ctx := context.Background()
		for range b.N {
			task.Go(ctx, "bench", noop)
		}
		if err := task.Shutdown(context.Background()); err != nil {
			b.Fatal(err)
		}
	})
}
