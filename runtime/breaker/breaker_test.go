package breaker_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

var errDown = errors.New("dependency down")

func fail(context.Context) error { return errDown }
func ok(context.Context) error   { return nil }

// seq keeps names unique when tests run more than once (-count).
var seq atomic.Int64

// get returns a new registered breaker named after the test.
func get(t *testing.T, s breaker.Settings) *breaker.Breaker {
	t.Helper()
	b, err := breaker.Get(fmt.Sprintf("%s#%d", t.Name(), seq.Add(1)), s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tripAfter is a ReadyToTrip that opens after n consecutive failures.
func tripAfter(n uint32) func(breaker.Counts) bool {
	return func(c breaker.Counts) bool { return c.ConsecutiveFailures >= n }
}

func TestDefaultTripsAfterSixFailures(t *testing.T) {
	var b breaker.Breaker // the zero value: default settings
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if err := b.Do(ctx, fail); err != errDown {
			t.Fatalf("call %d: %v, want errDown", i, err)
		}
	}
	if s := b.State(); s != breaker.StateClosed {
		t.Fatalf("after 5 failures: %v, want closed", s)
	}
	_ = b.Do(ctx, fail)
	if s := b.State(); s != breaker.StateOpen {
		t.Fatalf("after 6 failures: %v, want open", s)
	}
	called := false
	err := b.Do(ctx, func(context.Context) error { called = true; return nil })
	var oe *breaker.OpenError
	if called || !errors.Is(err, breaker.ErrOpen) || !errors.As(err, &oe) {
		t.Fatalf("open breaker: called=%v err=%v, want a refusal", called, err)
	}
	if oe.State != breaker.StateOpen || oe.Remaining <= 0 || oe.Remaining > 60*time.Second {
		t.Errorf("OpenError = %+v, want open with up to 60s remaining", *oe)
	}
}

func TestCountsAndSuccessResetsStreak(t *testing.T) {
	b := get(t, breaker.Settings{})
	ctx := context.Background()
	for _, fn := range []func(context.Context) error{fail, fail, ok, fail} {
		_ = b.Do(ctx, fn)
	}
	want := breaker.Counts{Requests: 4, TotalSuccesses: 1, TotalFailures: 3, ConsecutiveFailures: 1}
	if c := b.Counts(); c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
}

func TestCallerCancellationIsExcluded(t *testing.T) {
	b := get(t, breaker.Settings{ReadyToTrip: tripAfter(1)})
	ctx, cancel := context.WithCancel(context.Background())
	err := b.Do(ctx, func(ctx context.Context) error {
		cancel() // the client goes away mid-call
		return ctx.Err()
	})
	if err != context.Canceled {
		t.Fatalf("Do = %v, want fn's context.Canceled", err)
	}
	want := breaker.Counts{Requests: 1, TotalExclusions: 1}
	if c := b.Counts(); c != want || b.State() != breaker.StateClosed {
		t.Errorf("after a cancelled call: %v %+v, want closed %+v", b.State(), c, want)
	}

	// A cause counts as the cancellation too, wrapped or not.
	cause := errors.New("client went away")
	ctx, cancelCause := context.WithCancelCause(context.Background())
	_ = b.Do(ctx, func(ctx context.Context) error {
		cancelCause(cause)
		return fmt.Errorf("fetch: %w", context.Cause(ctx))
	})
	if c := b.Counts(); c.TotalExclusions != 2 || c.TotalFailures != 0 {
		t.Errorf("after a call returning the cause: %+v, want 2 exclusions", c)
	}

	// Already done: fn is not called and nothing is counted.
	if err := b.Do(ctx, func(context.Context) error { t.Error("fn called"); return nil }); err != context.Canceled {
		t.Errorf("Do on a done ctx = %v, want context.Canceled", err)
	}
	if c := b.Counts(); c.Requests != 2 {
		t.Errorf("Requests = %d after a Do on a done ctx, want 2", c.Requests)
	}
}

func TestCancellationLookalikesAreFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(b *breaker.Breaker) error
	}{
		{"the dependency's own Canceled, caller's ctx live", func(b *breaker.Breaker) error {
			return b.Do(context.Background(), func(context.Context) error { return context.Canceled })
		}},
		{"caller cancelled, but fn failed otherwise", func(b *breaker.Breaker) error {
			ctx, cancel := context.WithCancel(context.Background())
			return b.Do(ctx, func(context.Context) error { cancel(); return errDown })
		}},
		{"caller's deadline", func(b *breaker.Breaker) error {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
			defer cancel()
			return b.Do(ctx, func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := get(t, breaker.Settings{ReadyToTrip: tripAfter(1)})
			if err := tc.call(b); err == nil {
				t.Fatal("Do = nil")
			}
			if c := b.Counts(); b.State() != breaker.StateOpen {
				t.Errorf("state %v counts %+v, want the failure to trip the breaker", b.State(), c)
			}
		})
	}
}

func TestIsExcludedAndIsSuccessful(t *testing.T) {
	notFound := errors.New("not found")
	b := get(t, breaker.Settings{
		IsExcluded:   func(err error) bool { return errors.Is(err, context.DeadlineExceeded) },
		IsSuccessful: func(err error) bool { return err == nil || errors.Is(err, notFound) },
	})
	ctx := context.Background()
	_ = b.Do(ctx, func(context.Context) error { return context.DeadlineExceeded })
	_ = b.Do(ctx, func(context.Context) error { return notFound })
	_ = b.Do(ctx, fail)
	want := breaker.Counts{Requests: 3, TotalSuccesses: 1, TotalFailures: 1, TotalExclusions: 1, ConsecutiveFailures: 1}
	if c := b.Counts(); c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
}

func TestPanicCountsAsFailureAndGoesOn(t *testing.T) {
	b := get(t, breaker.Settings{ReadyToTrip: tripAfter(1)})
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the panic to reach the caller", r)
			}
		}()
		_ = b.Do(context.Background(), func(context.Context) error { panic("boom") })
	}()
	if s := b.State(); s != breaker.StateOpen {
		t.Errorf("after a panic: %v, want open", s)
	}
}

func TestGoexitReleasesProbe(t *testing.T) {
	b := get(t, breaker.Settings{ReadyToTrip: tripAfter(1), Timeout: time.Hour})
	snap := b.Snapshot()
	snap.State = breaker.StateHalfOpen
	if err := b.Restore(snap); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = b.Do(context.Background(), func(context.Context) error { runtime.Goexit(); return nil })
	}()
	<-done
	// The probe failed, so the breaker reopened rather than keeping the slot.
	if s := b.State(); s != breaker.StateOpen {
		t.Errorf("after a probe's Goexit: %v, want open", s)
	}
}

func TestExecute(t *testing.T) {
	b := get(t, breaker.Settings{ReadyToTrip: tripAfter(1)})
	v, err := breaker.Execute(context.Background(), b, func(context.Context) (int, error) { return 42, nil })
	if v != 42 || err != nil {
		t.Fatalf("Execute = %v, %v", v, err)
	}
	_, _ = breaker.Execute(context.Background(), b, func(context.Context) (int, error) { return 0, errDown })
	v, err = breaker.Execute(context.Background(), b, func(context.Context) (int, error) { return 7, nil })
	if v != 0 || !errors.Is(err, breaker.ErrOpen) {
		t.Errorf("Execute on an open breaker = %v, %v; want 0 and ErrOpen", v, err)
	}
}

func TestAllow(t *testing.T) {
	b := get(t, breaker.Settings{ReadyToTrip: tripAfter(2)})
	ctx, cancel := context.WithCancel(context.Background())
	done1, err := b.Allow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done2, err := b.Allow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	done1(context.Canceled) // the first caller's own cancellation
	done2(errDown)
	want := breaker.Counts{Requests: 2, TotalFailures: 1, TotalExclusions: 1, ConsecutiveFailures: 1}
	if c := b.Counts(); c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
	defer func() {
		if r := recover(); r != "breaker: done called twice" {
			t.Errorf("second done: recovered %v", r)
		}
	}()
	done2(nil)
}

func TestAllowRefuses(t *testing.T) {
	b := get(t, breaker.Settings{})
	b.ForceOpen(time.Hour)
	done, err := b.Allow(context.Background())
	if done != nil || !errors.Is(err, breaker.ErrOpen) {
		t.Errorf("Allow on an open breaker = %v, %v", done != nil, err)
	}
}

func TestMisusePanics(t *testing.T) {
	var b breaker.Breaker
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"breaker: nil fn", func() { _ = b.Do(context.Background(), nil) }},
		{"breaker: nil fn", func() { _, _ = breaker.Execute[int](context.Background(), &b, nil) }},
		{"breaker: Get with an empty name", func() { _, _ = breaker.Get("", breaker.Settings{}) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != tc.want {
					t.Errorf("recovered %v, want %q", r, tc.want)
				}
			}()
			tc.f()
		}()
	}
}
