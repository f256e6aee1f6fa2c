//go:build go1.25

//go:debug asynctimerchan=0

package breaker_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

// In a synctest bubble time moves only when every goroutine is blocked, so
// these tests check exact durations. Each breaker is made inside its bubble,
// since its times come from the bubble's clock.

func TestOpenHalfOpenClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var changes []string
		b := get(t, breaker.Settings{
			MaxRequests: 2,
			Timeout:     30 * time.Second,
			ReadyToTrip: tripAfter(1),
			OnStateChange: func(_ string, from, to breaker.State) {
				changes = append(changes, from.String()+"→"+to.String())
			},
		})
		ctx := context.Background()
		_ = b.Do(ctx, fail)

		time.Sleep(10 * time.Second)
		var oe *breaker.OpenError
		if err := b.Do(ctx, ok); !errors.As(err, &oe) || oe.Remaining != 20*time.Second {
			t.Fatalf("10s after tripping: %v, want open for another 20s", err)
		}
		time.Sleep(20*time.Second - time.Nanosecond)
		if s := b.State(); s != breaker.StateOpen {
			t.Fatalf("1ns before the timeout: %v, want open", s)
		}
		time.Sleep(time.Nanosecond)
		if s := b.State(); s != breaker.StateHalfOpen {
			t.Fatalf("at the timeout: %v, want half-open", s)
		}

		// Two probes at most; a third caller is refused as half-open.
		done1, err1 := b.Allow(ctx)
		done2, err2 := b.Allow(ctx)
		_, err3 := b.Allow(ctx)
		if err1 != nil || err2 != nil || !errors.As(err3, &oe) || oe.State != breaker.StateHalfOpen || oe.Remaining != 0 {
			t.Fatalf("probes: %v, %v, %v; want two through and a half-open refusal", err1, err2, err3)
		}
		done1(nil)
		if s := b.State(); s != breaker.StateHalfOpen {
			t.Fatalf("after one success of two: %v", s)
		}
		done2(nil)
		if s := b.State(); s != breaker.StateClosed {
			t.Fatalf("after two successes: %v, want closed", s)
		}
		want := "[closed→open open→half-open half-open→closed]"
		if got := fmt.Sprint(changes); got != want {
			t.Errorf("changes %s, want %s", got, want)
		}
	})
}

func TestHalfOpenFailureReopens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := get(t, breaker.Settings{MaxRequests: 3, Timeout: time.Minute, ReadyToTrip: tripAfter(1)})
		ctx := context.Background()
		_ = b.Do(ctx, fail)
		time.Sleep(time.Minute)
		slow, _ := b.Allow(ctx) // a probe still running when another fails
		_ = b.Do(ctx, ok)
		_ = b.Do(ctx, fail)
		if s := b.Snapshot(); s.State != breaker.StateOpen || s.OpenFor != time.Minute {
			t.Fatalf("after a failed probe: %+v, want open for a full minute", s)
		}
		slow(nil) // from the last half-open spell: ignored
		if c := b.Counts(); c != (breaker.Counts{}) {
			t.Errorf("a stale probe's result was counted: %+v", c)
		}
	})
}

func TestExcludedProbeFreesSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := get(t, breaker.Settings{Timeout: time.Second, ReadyToTrip: tripAfter(1)})
		_ = b.Do(context.Background(), fail)
		time.Sleep(time.Second)
		ctx, cancel := context.WithCancel(context.Background())
		_ = b.Do(ctx, func(ctx context.Context) error { cancel(); return ctx.Err() })
		if err := b.Do(context.Background(), ok); err != nil {
			t.Fatalf("probe after a cancelled one: %v", err)
		}
		if s := b.State(); s != breaker.StateClosed {
			t.Errorf("after a successful probe: %v, want closed", s)
		}
	})
}

func TestIntervalClearsCounts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := get(t, breaker.Settings{Interval: 10 * time.Second, ReadyToTrip: tripAfter(3)})
		ctx := context.Background()
		_ = b.Do(ctx, fail)
		_ = b.Do(ctx, fail)
		inflight, _ := b.Allow(ctx)
		time.Sleep(10 * time.Second)
		if c := b.Counts(); c != (breaker.Counts{}) {
			t.Fatalf("after the interval: %+v, want cleared", c)
		}
		inflight(errDown) // from the last window: ignored
		_ = b.Do(ctx, fail)
		if s, c := b.State(), b.Counts(); s != breaker.StateClosed || c.ConsecutiveFailures != 1 {
			t.Errorf("%v %+v: want closed with one failure in the new window", s, c)
		}
	})
}

func TestForceOpenAndReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := get(t, breaker.Settings{Timeout: time.Minute})
		b.ForceOpen(5 * time.Minute)
		time.Sleep(4 * time.Minute)
		b.ForceOpen(time.Second) // replaces, even when shorter
		time.Sleep(time.Second)
		if s := b.State(); s != breaker.StateHalfOpen {
			t.Fatalf("after the forced second: %v", s)
		}
		b.ForceOpen(0)
		if s := b.Snapshot(); s.OpenFor != time.Minute {
			t.Errorf("ForceOpen(0) opened for %v, want the 1m Timeout", s.OpenFor)
		}
		b.Reset()
		if s := b.State(); s != breaker.StateClosed {
			t.Errorf("after Reset: %v", s)
		}
	})
}

func TestRestoreInProcess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := get(t, breaker.Settings{Timeout: time.Minute, ReadyToTrip: tripAfter(1)})
		_ = b.Do(context.Background(), fail)
		time.Sleep(15 * time.Second)
		s := b.Snapshot()
		if s.State != breaker.StateOpen || s.OpenFor != 45*time.Second {
			t.Fatalf("Snapshot = %+v, want open for 45s", s)
		}
		time.Sleep(5 * time.Second)
		c := get(t, breaker.Settings{Timeout: time.Minute})
		if err := c.Restore(s); err != nil {
			t.Fatal(err)
		}
		var oe *breaker.OpenError
		if err := c.Do(context.Background(), ok); !errors.As(err, &oe) || oe.Remaining != 40*time.Second {
			t.Fatalf("restored 5s after the snapshot: %v, want open for 40s", err)
		}
		time.Sleep(40 * time.Second)
		if st := c.State(); st != breaker.StateHalfOpen {
			t.Errorf("at the end of the restored open time: %v", st)
		}
	})
}

// TestRestoreAfterRestart restores a snapshot that went through JSON, as one
// written by the last process would: the time since it was taken is
// measured on the wall clock, and never adds to the open time.
func TestRestoreAfterRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := get(t, breaker.Settings{Timeout: time.Hour})
		b.ForceOpen(10 * time.Minute)
		data, err := json.Marshal(b.Snapshot())
		if err != nil {
			t.Fatal(err)
		}
		var s breaker.Snapshot
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatal(err)
		}

		time.Sleep(3 * time.Minute) // the restart
		remaining := func(s breaker.Snapshot) time.Duration {
			t.Helper()
			c := get(t, breaker.Settings{Timeout: time.Hour})
			if err := c.Restore(s); err != nil {
				t.Fatal(err)
			}
			return c.Snapshot().OpenFor
		}
		if d := remaining(s); d != 7*time.Minute {
			t.Errorf("restored 3m after: open for %v, want 7m", d)
		}

		// A clock that went back by an hour: no time has passed, never more.
		back := s
		back.Taken = s.Taken.Add(time.Hour)
		if d := remaining(back); d != 10*time.Minute {
			t.Errorf("Taken in the future: open for %v, want the full 10m", d)
		}

		// A snapshot older than its open time half-opens at once.
		time.Sleep(7 * time.Minute)
		c := get(t, breaker.Settings{Timeout: time.Hour})
		if err := c.Restore(s); err != nil {
			t.Fatal(err)
		}
		if st := c.State(); st != breaker.StateHalfOpen {
			t.Errorf("restored after its open time: %v, want half-open", st)
		}

		// A zero Taken restores as if just taken.
		s.Taken = time.Time{}
		if d := remaining(s); d != 10*time.Minute {
			t.Errorf("zero Taken: open for %v, want 10m", d)
		}
	})
}
