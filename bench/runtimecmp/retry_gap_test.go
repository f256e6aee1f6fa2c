package runtimecmp_test

// These tests pin down the gaps in cenkalti/backoff v5.0.3 that
// runtime/retry's package doc gives as the reason it is hand-written, each
// next to runtime/retry's behaviour. If backoff closes a gap, its test fails
// and the package doc must be revisited.

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/retry"
)

// TestGapRetryNoContext: backoff's Operation takes no arguments, so the
// context Retry is given never reaches the operation; it must close over
// the caller's. retry.Do passes ctx to op.
func TestGapRetryNoContext(t *testing.T) {
	if n := reflect.TypeFor[backoff.Operation[any]]().NumIn(); n != 0 {
		t.Errorf("backoff.Operation takes %d arguments, want none", n)
	}
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "request")
	var got any
	_ = retry.Do(ctx, retry.Policy{}, func(ctx context.Context) error {
		got = ctx.Value(key{})
		return nil
	})
	if got != "request" {
		t.Errorf("retry.Do: op's ctx carried %v, want the caller's", got)
	}
}

// TestGapRetryOpenBreaker: backoff retries an open breaker's refusal like any
// other error, and hands back the last error bare; retry.Do stops at the
// first refusal and says how many attempts it made.
func TestGapRetryOpenBreaker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := breaker.Get("gap.retry.open", breaker.Settings{})
		if err != nil {
			t.Fatal(err)
		}
		b.ForceOpen(time.Hour)
		callBreaker := func(ctx context.Context) error {
			return b.Do(ctx, func(context.Context) error { return nil })
		}

		theirs := 0
		_, err = backoff.Retry(context.Background(), func() (any, error) {
			theirs++
			return nil, callBreaker(context.Background())
		}, backoff.WithMaxTries(5))
		var oe *breaker.OpenError
		if theirs != 5 || !errors.As(err, &oe) || err != error(oe) {
			t.Errorf("backoff: %d calls, err %T; want 5 calls and the bare *OpenError", theirs, err)
		}

		ours := 0
		err = retry.Do(context.Background(), retry.Policy{MaxAttempts: 5}, func(ctx context.Context) error {
			ours++
			return callBreaker(ctx)
		})
		var re *retry.Error
		if ours != 1 || !errors.As(err, &re) || re.Attempts != 1 || !errors.Is(err, breaker.ErrOpen) {
			t.Errorf("retry.Do: %d calls, %v; want 1 call and an *Error of 1 attempt", ours, err)
		}
	})
}

// TestRetryBackoffJitterRange is not a gap but the check behind TestHerd's
// "±50% jitter" row, which draws d/2 + retry.Jitter(d): backoff's default
// ExponentialBackOff draws each wait within ±50% of its interval, so the
// first wait for its 500ms initial interval falls in [250ms, 750ms], where
// full jitter's falls anywhere in [0, 500ms).
func TestRetryBackoffJitterRange(t *testing.T) {
	const draws = 10000
	theirsMin, theirsMax, oursMin := time.Hour, time.Duration(0), time.Hour
	for i := 0; i < draws; i++ {
		eb := backoff.NewExponentialBackOff()
		eb.Reset()
		d := eb.NextBackOff()
		theirsMin, theirsMax = min(theirsMin, d), max(theirsMax, d)
		oursMin = min(oursMin, retry.Jitter(500*time.Millisecond))
	}
	// backoff's formula can reach one nanosecond past 1.5× (its +1).
	if theirsMin < 250*time.Millisecond || theirsMax > 750*time.Millisecond+time.Nanosecond {
		t.Errorf("backoff: first waits in [%v, %v], want within [250ms, 750ms]", theirsMin, theirsMax)
	}
	if theirsMin > 255*time.Millisecond || theirsMax < 745*time.Millisecond { // P ≈ e⁻¹⁰⁰ each
		t.Errorf("backoff: first waits in [%v, %v], want them to fill [250ms, 750ms]", theirsMin, theirsMax)
	}
	if oursMin > 5*time.Millisecond {
		t.Errorf("retry.Jitter: shortest first wait %v, want some near 0", oursMin)
	}
	t.Logf("%d first waits for a 500ms interval: backoff in [%v, %v]; full jitter from %v", draws, theirsMin, theirsMax, oursMin)
}
