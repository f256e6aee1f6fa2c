package runtimecmp_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/sony/gobreaker/v2"
)

// BenchmarkBreaker compares a call through runtime/breaker's Do (and its
// generic Execute) with one through gobreaker's Execute, fn doing nothing:
//
//   - Closed: the breaker lets every call through and counts it.
//   - ClosedInterval: the same with a 1-minute Interval, so that
//     runtime/breaker must read the clock too (gobreaker always does).
//   - Open: the breaker refuses every call.
//   - Contended: Closed from every P at once (RunParallel).
func BenchmarkBreaker(b *testing.B) {
	ctx := context.Background()
	var seq atomic.Int64
	ours := func(b *testing.B, s breaker.Settings) *breaker.Breaker {
		br, err := breaker.Get(fmt.Sprintf("bench#%d", seq.Add(1)), s)
		if err != nil {
			b.Fatal(err)
		}
		return br
	}
	nop := func(context.Context) error { return nil }
	nopValue := func(context.Context) (int, error) { return 1, nil }
	theirsNop := func() (int, error) { return 1, nil }

	for _, cfg := range []struct {
		name     string
		interval time.Duration
	}{{"Closed", 0}, {"ClosedInterval", time.Minute}} {
		b.Run(cfg.name+"/gobreaker.Execute", func(b *testing.B) {
			cb := gobreaker.NewCircuitBreaker[int](gobreaker.Settings{Interval: cfg.interval})
			b.ReportAllocs()
			for b.Loop() {
				_, _ = cb.Execute(theirsNop)
			}
		})
		b.Run(cfg.name+"/breaker.Do", func(b *testing.B) {
			br := ours(b, breaker.Settings{Interval: cfg.interval})
			b.ReportAllocs()
			for b.Loop() {
				_ = br.Do(ctx, nop)
			}
		})
		b.Run(cfg.name+"/breaker.Execute", func(b *testing.B) {
			br := ours(b, breaker.Settings{Interval: cfg.interval})
			b.ReportAllocs()
			for b.Loop() {
				_, _ = breaker.Execute(ctx, br, nopValue)
			}
		})
	}

	b.Run("Open/gobreaker.Execute", func(b *testing.B) {
		cb := gobreaker.NewCircuitBreaker[int](gobreaker.Settings{Timeout: time.Hour})
		for i := 0; i < 6; i++ {
			_, _ = cb.Execute(func() (int, error) { return 0, errDep })
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cb.Execute(theirsNop); err == nil {
				b.Fatal("gobreaker let a call through")
			}
		}
	})
	b.Run("Open/breaker.Do", func(b *testing.B) {
		br := ours(b, breaker.Settings{})
		br.ForceOpen(time.Hour)
		b.ReportAllocs()
		for b.Loop() {
			if err := br.Do(ctx, nop); err == nil {
				b.Fatal("breaker let a call through")
			}
		}
	})

	b.Run("Contended/gobreaker.Execute", func(b *testing.B) {
		cb := gobreaker.NewCircuitBreaker[int](gobreaker.Settings{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = cb.Execute(theirsNop)
			}
		})
	})
	b.Run("Contended/breaker.Do", func(b *testing.B) {
		br := ours(b, breaker.Settings{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = br.Do(ctx, nop)
			}
		})
	})
}
