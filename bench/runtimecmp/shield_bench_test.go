package runtimecmp_test

import (
	"context"
	"crypto/sha256"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/shield"
	"github.com/resilvet/resilvet/runtime/task"
	"golang.org/x/sync/singleflight"
)

// input is global so that work does not grow the stack of the goroutine that
// runs it: DoChan and shield run fn on a new goroutine, singleflight.Do on the
// caller's, whose stack has long grown.
var input [4 << 10]byte

// work is a flight's computation: hashing 4 KiB, about 2µs here.
func work() [32]byte {
	return sha256.Sum256(input[:])
}

// slowWork is BenchmarkFlightShared's: a 100µs wait standing in for the
// round trip of a cache fill, then work. Callers pile up on the flight while
// it waits, as they do in production; CPU-bound work on 2 cores would leave
// them no time to join.
func slowWork() [32]byte {
	time.Sleep(100 * time.Microsecond)
	return work()
}

var keys = func() []string {
	k := make([]string, 8)
	for i := range k {
		k[i] = "key" + strconv.Itoa(i)
	}
	return k
}()

// BenchmarkFlightAlone calls Do with no other caller: the cost of a flight
// nobody shares. singleflight.Do runs fn on the caller's goroutine;
// DoChan+select, the form that lets a caller stop waiting, and shield start a
// goroutine.
func BenchmarkFlightAlone(b *testing.B) {
	ctx := context.Background()
	b.Run("singleflight.Do", func(b *testing.B) {
		b.ReportAllocs()
		var g singleflight.Group
		for range b.N {
			_, _, _ = g.Do("k", func() (any, error) { return work(), nil })
		}
	})
	b.Run("singleflight.DoChan", func(b *testing.B) {
		b.ReportAllocs()
		var g singleflight.Group
		for range b.N {
			select {
			case <-g.DoChan("k", func() (any, error) { return work(), nil }):
			case <-ctx.Done():
			}
		}
	})
	b.Run("shield.Group", func(b *testing.B) {
		b.ReportAllocs()
		tasks := new(task.Group)
		g := shield.Group[string, [32]byte]{Tasks: tasks}
		for range b.N {
			_, _ = g.Do(ctx, "k", func(context.Context) ([32]byte, error) { return work(), nil })
		}
		if err := tasks.Shutdown(ctx); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkFlightShared has 16 goroutines per core call Do on 8 keys, so
// flights are shared; ns/op is per Do call, and calls/op is how many calls of
// fn each Do cost (1 means no sharing).
func BenchmarkFlightShared(b *testing.B) {
	ctx := context.Background()
	var calls atomic.Int64
	shared := func() [32]byte {
		calls.Add(1)
		return slowWork()
	}
	run := func(b *testing.B, do func(key string)) {
		b.ReportAllocs()
		b.SetParallelism(16)
		calls.Store(0)
		var next atomic.Uint32
		b.RunParallel(func(pb *testing.PB) {
			i := next.Add(1)
			for pb.Next() {
				i++
				do(keys[i%uint32(len(keys))])
			}
		})
		b.ReportMetric(float64(calls.Load())/float64(b.N), "calls/op")
	}
	b.Run("singleflight.Do", func(b *testing.B) {
		var g singleflight.Group
		run(b, func(key string) {
			_, _, _ = g.Do(key, func() (any, error) { return shared(), nil })
		})
	})
	b.Run("singleflight.DoChan", func(b *testing.B) {
		var g singleflight.Group
		run(b, func(key string) {
			select {
			case <-g.DoChan(key, func() (any, error) { return shared(), nil }):
			case <-ctx.Done():
			}
		})
	})
	b.Run("shield.Group", func(b *testing.B) {
		tasks := new(task.Group)
		g := shield.Group[string, [32]byte]{Tasks: tasks}
		run(b, func(key string) {
			_, _ = g.Do(ctx, key, func(context.Context) ([32]byte, error) { return shared(), nil })
		})
		if err := tasks.Shutdown(ctx); err != nil {
			b.Fatal(err)
		}
	})
}
