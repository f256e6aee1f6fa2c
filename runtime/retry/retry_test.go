package retry_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/retry"
)

var errDown = errors.New("503")

// noWait keeps these tests out of real time; the waits themselves are
// tested in synctest_test.go.
func noWait(time.Duration) time.Duration { return 0 }

// failing returns an op that fails with err and counts its calls.
func failing(err error, calls *int) func(context.Context) error {
	return func(context.Context) error { *calls++; return err }
}

func TestSucceedsAfterRetries(t *testing.T) {
	calls := 0
	err := retry.Do(context.Background(), retry.Policy{MaxAttempts: 5, Jitter: noWait}, func(context.Context) error {
		calls++
		if calls < 3 {
			return errDown
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("Do = %v after %d calls, want nil after 3", err, calls)
	}
}

func TestStopsAtMaxAttempts(t *testing.T) {
	for _, tc := range []struct{ max, want int }{{0, 3}, {1, 1}, {5, 5}} {
		calls := 0
		err := retry.Do(context.Background(), retry.Policy{MaxAttempts: tc.max, Jitter: noWait}, failing(errDown, &calls))
		var re *retry.Error
		if !errors.As(err, &re) || re.Attempts != tc.want || calls != tc.want || !errors.Is(err, errDown) {
			t.Errorf("MaxAttempts %d: %v after %d calls, want an *Error of %d attempts wrapping errDown", tc.max, err, calls, tc.want)
		}
	}
	// Negative: no limit but ctx.
	calls := 0
	ctx, cancel := context.WithCancel(context.Background())
	err := retry.Do(ctx, retry.Policy{MaxAttempts: -1, Jitter: noWait}, func(context.Context) error {
		if calls++; calls == 1000 {
			cancel()
		}
		return errDown
	})
	if calls != 1000 || !errors.Is(err, context.Canceled) || !errors.Is(err, errDown) {
		t.Errorf("unlimited: %v after %d calls, want to stop at the cancellation after 1000", err, calls)
	}
}

func TestErrorMessages(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{retry.Do(context.Background(), retry.Policy{Jitter: noWait}, failing(errDown, new(int))), "retry: 3 attempts: 503"},
		{retry.Do(context.Background(), retry.Policy{}, failing(retry.Permanent(errDown), new(int))), "retry: 1 attempt: 503"},
		{retry.Do(ctx, retry.Policy{}, failing(errDown, new(int))), "retry: 0 attempts: context canceled"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("got %v, want %q", tc.err, tc.want)
		}
	}
}

func TestPermanent(t *testing.T) {
	if retry.Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
	calls := 0
	err := retry.Do(context.Background(), retry.Policy{Jitter: noWait}, failing(fmt.Errorf("bad request: %w", retry.Permanent(errDown)), &calls))
	var re *retry.Error
	if calls != 1 || !errors.As(err, &re) || re.Attempts != 1 || !errors.Is(err, errDown) {
		t.Errorf("wrapped Permanent: %v after %d calls", err, calls)
	}
	err = retry.Do(context.Background(), retry.Policy{Jitter: noWait}, failing(retry.Permanent(errDown), &calls))
	if errors.As(err, &re); re.Err != errDown {
		t.Errorf("Err = %#v, want errDown itself, the mark removed", re.Err)
	}
}

func TestNeverRetriesCallerCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := retry.Do(ctx, retry.Policy{MaxAttempts: 10, Jitter: noWait}, func(context.Context) error {
		calls++
		cancel()
		return errDown // op's own error, not even the cancellation
	})
	if calls != 1 || !errors.Is(err, context.Canceled) || !errors.Is(err, errDown) {
		t.Errorf("%v after %d calls, want 1 call, and both errors visible", err, calls)
	}
	if got, want := err.Error(), "retry: 1 attempt, stopped by context canceled: 503"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}

	// The op's own Canceled, with the caller's ctx live, is retried.
	calls = 0
	_ = retry.Do(context.Background(), retry.Policy{Jitter: noWait}, failing(context.Canceled, &calls))
	if calls != 3 {
		t.Errorf("op's own Canceled: %d calls, want 3", calls)
	}

	// Already done: op is not called.
	calls = 0
	err = retry.Do(ctx, retry.Policy{}, failing(errDown, &calls))
	var re *retry.Error
	if calls != 0 || !errors.As(err, &re) || re.Attempts != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("done ctx: %v after %d calls", err, calls)
	}
}

func TestNeverRetriesOpenBreaker(t *testing.T) {
	var b breaker.Breaker
	b.ForceOpen(time.Hour)
	calls := 0
	err := retry.Do(context.Background(), retry.Policy{MaxAttempts: 10, Jitter: noWait}, func(ctx context.Context) error {
		calls++
		return b.Do(ctx, func(context.Context) error { return nil })
	})
	var re *retry.Error
	if calls != 1 || !errors.Is(err, breaker.ErrOpen) || !errors.As(err, &re) || re.Attempts != 1 {
		t.Errorf("%v after %d calls, want one refusal", err, calls)
	}
}

func TestNilOpPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "retry: nil op" {
			t.Errorf("recovered %v", r)
		}
	}()
	_ = retry.Do(context.Background(), retry.Policy{}, nil)
}

func TestBudget(t *testing.T) {
	var b retry.Budget // 10 tokens, ratio 0.1, threshold 5
	for i := 1; i <= 4; i++ {
		if !b.Failure() {
			t.Fatalf("failure %d refused; tokens should be %d > 5", i, 10-i)
		}
	}
	if b.Failure() {
		t.Fatal("failure 5 allowed a retry at 5 tokens, the threshold")
	}
	// 5 tokens; 10 successes add 1; the next failure takes it back.
	for i := 0; i < 10; i++ {
		b.Success()
	}
	if b.Failure() {
		t.Fatal("retry allowed at 6-1 = 5 tokens")
	}
	for i := 0; i < 11; i++ {
		b.Success()
	}
	if !b.Failure() {
		t.Fatal("retry refused at 6.1-1 = 5.1 tokens")
	}
	// Successes never overfill it.
	for i := 0; i < 1000; i++ {
		b.Success()
	}
	n := 0
	for b.Failure() {
		n++
	}
	if n != 4 {
		t.Errorf("from full, %d retries allowed, want 4", n)
	}
	// Empty stays at zero: a long outage does not need as long a recovery.
	for i := 0; i < 100; i++ {
		b.Failure()
	}
	for i := 0; i < 61; i++ {
		b.Success()
	}
	if !b.Failure() {
		t.Error("retry refused at 6.1-1 tokens after draining to 0")
	}
}

func TestBudgetSettings(t *testing.T) {
	b := retry.Budget{Tokens: 100, Ratio: 1, Threshold: 10}
	n := 0
	for b.Failure() {
		n++
	}
	if n != 89 {
		t.Errorf("%d retries allowed, want 89 (100 down to 11)", n)
	}
	b.Success()
	b.Success()
	if !b.Failure() {
		t.Error("ratio 1: two successes should allow a retry at 10+2-1 tokens")
	}
}

func TestDoSharesBudget(t *testing.T) {
	budget := new(retry.Budget)
	p := retry.Policy{MaxAttempts: -1, Jitter: noWait, Budget: budget}
	calls := 0
	err := retry.Do(context.Background(), p, failing(errDown, &calls))
	if calls != 5 || err.Error() != "retry: 5 attempts, retry budget exhausted: 503" {
		t.Errorf("first Do: %v after %d calls, want 5 (10 tokens down to 5)", err, calls)
	}
	calls = 0
	_ = retry.Do(context.Background(), p, failing(errDown, &calls))
	if calls != 1 {
		t.Errorf("second Do: %d calls, want 1: the budget is shared", calls)
	}
	// 4 tokens now; successes through Do refill it.
	for i := 0; i < 21; i++ {
		if err := retry.Do(context.Background(), p, func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	calls = 0
	_ = retry.Do(context.Background(), p, failing(errDown, &calls))
	if calls != 2 {
		t.Errorf("after 21 successes: %d calls, want 2 (6.1 tokens)", calls)
	}
	// Permanent errors, cancellation and open breakers cost no token.
	full := new(retry.Budget)
	p.Budget = full
	_ = retry.Do(context.Background(), p, failing(retry.Permanent(errDown), new(int)))
	_ = retry.Do(context.Background(), p, failing(&breaker.OpenError{}, new(int)))
	calls = 0
	_ = retry.Do(context.Background(), p, failing(errDown, &calls))
	if calls != 5 {
		t.Errorf("after a permanent error and a refusal: %d calls, want a full budget's 5", calls)
	}
}

// TestJitterDistribution draws Jitter(d) many times: every draw is in
// [0, d), and the draws are uniform (a chi-square test over 10 bins, and the
// mean). The bounds are loose enough that a correct Jitter fails them about
// once in ten million runs.
func TestJitterDistribution(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second, 1} {
		if j := retry.Jitter(d); j != 0 {
			t.Errorf("Jitter(%v) = %v, want 0", d, j)
		}
	}
	const (
		d     = time.Second
		draws = 200000
		bins  = 10
	)
	var count [bins]int
	var sum float64
	for i := 0; i < draws; i++ {
		j := retry.Jitter(d)
		if j < 0 || j >= d {
			t.Fatalf("Jitter(%v) = %v, outside [0, %v)", d, j, d)
		}
		count[int(j*bins/d)]++
		sum += float64(j)
	}
	chi2 := 0.0
	for _, c := range count {
		e := float64(draws) / bins
		chi2 += (float64(c) - e) * (float64(c) - e) / e
	}
	if chi2 > 50 { // 9 degrees of freedom: P(χ² > 50) ≈ 1e-7
		t.Errorf("χ² = %.1f over %v, want a uniform spread", chi2, count)
	}
	mean := sum / draws
	sigma := float64(d) / math.Sqrt(12*draws)
	if math.Abs(mean-float64(d)/2) > 6*sigma {
		t.Errorf("mean %v, want %v ± %v", time.Duration(mean), d/2, time.Duration(6*sigma))
	}
}
