//go:build go1.25

//go:debug asynctimerchan=0

package retry_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/retry"
)

// In a synctest bubble time moves only when every goroutine is blocked, so
// the waits between attempts are measured exactly.

// waits runs Do with p against an op that always fails and returns the
// waits between its calls.
func waits(t *testing.T, p retry.Policy) []time.Duration {
	t.Helper()
	var calls []time.Time
	_ = retry.Do(context.Background(), p, func(context.Context) error {
		calls = append(calls, time.Now())
		return errDown
	})
	var w []time.Duration
	for i := 1; i < len(calls); i++ {
		w = append(w, calls[i].Sub(calls[i-1]))
	}
	return w
}

func identity(d time.Duration) time.Duration { return d }

func TestDelaysDoubleUpToMax(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		got := waits(t, retry.Policy{MaxAttempts: 8, Base: 100 * time.Millisecond, Max: time.Second, Jitter: identity})
		want := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}
		if len(got) != len(want) {
			t.Fatalf("%d waits, want %d: %v", len(got), len(want), got)
		}
		for i := range want {
			if got[i] != want[i]*time.Millisecond {
				t.Errorf("wait %d = %v, want %v", i+1, got[i], want[i]*time.Millisecond)
			}
		}
	})
}

func TestDefaultsWithoutJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		got := waits(t, retry.Policy{Jitter: identity})
		if len(got) != 2 || got[0] != 100*time.Millisecond || got[1] != 200*time.Millisecond {
			t.Errorf("zero Policy waits %v, want [100ms 200ms] before jitter", got)
		}
		// The default cap: 10s.
		got = waits(t, retry.Policy{MaxAttempts: 3, Base: time.Minute, Jitter: identity})
		if len(got) != 2 || got[0] != 10*time.Second || got[1] != 10*time.Second {
			t.Errorf("Base above the default Max waits %v, want [10s 10s]", got)
		}
	})
}

// TestFullJitterBoundsAndSpread runs the default jitter many times: each
// wait is below its capped delay, and across runs the waits fill [0, d):
// some near 0, some near d, averaging d/2.
func TestFullJitterBoundsAndSpread(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := retry.Policy{MaxAttempts: 7, Base: 100 * time.Millisecond, Max: time.Second}
		caps := []time.Duration{100, 200, 400, 800, 1000, 1000}
		const runs = 2000
		lo := make([]time.Duration, len(caps))
		hi := make([]time.Duration, len(caps))
		sum := make([]time.Duration, len(caps))
		for i := range lo {
			lo[i] = time.Hour
		}
		for r := 0; r < runs; r++ {
			w := waits(t, p)
			if len(w) != len(caps) {
				t.Fatalf("%d waits, want %d", len(w), len(caps))
			}
			for i, d := range w {
				if c := caps[i] * time.Millisecond; d < 0 || d >= c {
					t.Fatalf("wait %d = %v, outside [0, %v)", i+1, d, c)
				}
				lo[i], hi[i], sum[i] = min(lo[i], d), max(hi[i], d), sum[i]+d
			}
		}
		for i := range caps {
			c := caps[i] * time.Millisecond
			mean := sum[i] / runs
			// 2000 uniform draws: the extremes fall within 1% of the ends
			// and the mean within ±4% of c/2, except about once in 10⁷ runs.
			if lo[i] > c/100 || hi[i] < c-c/100 || mean < c/2-c/25 || mean > c/2+c/25 {
				t.Errorf("wait %d of cap %v: min %v, max %v, mean %v; want spread over [0, %v)", i+1, c, lo[i], hi[i], mean, c)
			}
		}
	})
}

func TestWaitInterruptedByContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		start := time.Now()
		calls := 0
		err := retry.Do(ctx, retry.Policy{MaxAttempts: 10, Base: 100 * time.Millisecond, Jitter: identity}, func(context.Context) error {
			calls++
			return errDown
		})
		// Calls at 0, 100ms and 300ms; the deadline at 250ms cuts the
		// second wait short.
		if d := time.Since(start); d != 250*time.Millisecond {
			t.Errorf("Do returned after %v, want the 250ms deadline", d)
		}
		var re *retry.Error
		if calls != 2 || !errors.As(err, &re) || re.Attempts != 2 || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, errDown) {
			t.Errorf("%v after %d calls", err, calls)
		}
	})
}
