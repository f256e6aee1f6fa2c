package cancel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/resilvet/resilvet/runtime/cancel"
)

var sink bool

// Is against the two errors.Is calls it wraps, on the errors a guard meets:
// nil (the guard is usually inside err != nil, but not always), a plain
// failure (the common non-nil case, which walks the whole chain twice), and
// cancellations at various depths.
func BenchmarkIs(b *testing.B) {
	plain := errors.New("connection refused")
	for _, c := range []struct {
		name string
		err  error
	}{
		{"nil", nil},
		{"plain", plain},
		{"plain-wrapped3", fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", plain)))},
		{"Canceled", context.Canceled},
		{"DeadlineExceeded-wrapped3", fmt.Errorf("a: %w", fmt.Errorf("b: %w", fmt.Errorf("c: %w", context.DeadlineExceeded)))},
		{"Join", errors.Join(plain, plain, context.Canceled)},
	} {
		err := c.err
		b.Run("err="+c.name+"/impl=errors.Is×2", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sink = errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
			}
		})
		b.Run("err="+c.name+"/impl=cancel.Is", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sink = cancel.Is(err)
			}
		})
	}
}

func BenchmarkOf(b *testing.B) {
	err := errors.New("connection refused")
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sink = cancel.Of(ctx, err)
	}
}
