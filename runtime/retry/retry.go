// Package retry retries an operation with capped exponential backoff and full
// jitter, stops when retrying cannot help, and shares a budget so that the
// retries of many callers cannot multiply the load on a dependency that is
// down. It is the canonical form of the post-mortem's RetryPolicy and
// RetryBudget.
//
//	err := retry.Do(ctx, retry.Policy{Budget: vmapiBudget}, func(ctx context.Context) error {
//		return vmapi.Start(ctx, id)
//	})
//
// Do stops at the first success, after Policy.MaxAttempts calls, on an error
// marked with [Permanent], on the caller's cancellation (its ctx is done), on
// an open circuit breaker (errors.Is(err, breaker.ErrOpen): the breaker has
// already said the dependency is down, and waiting out its open time is the
// breaker's job), and when the Budget refuses. Every give-up is an [*Error]
// with the number of calls made; errors.Is and errors.As see the last error
// through it.
//
// # Jitter
//
// The n-th retry waits a random time in [0, d), where d is Base·2ⁿ⁻¹ capped
// at Max: "full jitter" in the terms of the AWS Architecture Blog's study of
// backoff. Without jitter, clients that failed together retry together, at
// the same instants, for as long as they retry: the post-mortem this package
// comes from had retries without jitter that stampeded the VM API each time
// it came back. bench/runtimecmp's TestHerd measures it with 200 clients
// that fail together against a server that is down for a second: without
// jitter every retry of all 200 arrives at once, and a recovered server that
// sheds load above 50 requests in flight is stampeded again and again, so
// the last client gets through seconds later than with jitter. Full jitter,
// rather than a band around d (cenkalti/backoff's default is ±50%), brings
// the clients back soonest after a recovery; its shorter mean wait sends
// more requests during the outage, which is what a Budget is for
// (docs/performance.md, "Runtime: retry", has the numbers). [Jitter] is the
// same draw for code that keeps its own loop.
//
// Randomness comes from math/rand's top-level functions, which are safe for
// concurrent use and, since Go 1.20, seeded randomly at start-up (unless the
// program calls rand.Seed or sets GODEBUG=randautoseed=0): math/rand/v2 needs
// Go 1.22, and this module supports Go 1.21. Jitter needs spread, not secrecy.
//
// # Why not cenkalti/backoff
//
// github.com/cenkalti/backoff/v5 (v5.0.3) is the common Go retry library.
// bench/runtimecmp's gap tests show what it leaves to its callers: its
// operation takes no context, so the operation must close over the caller's
// (TestGapRetryNoContext); and it retries an open breaker's refusal like any
// other error, calling the breaker again at each backoff step, then returns
// the last error bare, without the number of attempts
// (TestGapRetryOpenBreaker). It has no retry budget shared between callers,
// and it needs Go 1.23, where this module supports Go 1.21.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

// Policy says how often and how long Do retries. The zero value makes three
// calls in all, waiting a random time below 100ms and then below 200ms
// between them, with no budget.
type Policy struct {
	// MaxAttempts is how many times Do calls op, the first call included.
	// Zero means 3; a negative value means no limit on attempts.
	MaxAttempts int

	// Base is the delay before the first retry, before jitter; each later
	// delay doubles, up to Max. Zero or less means 100ms.
	Base time.Duration

	// Max caps each delay before jitter. Zero or less means 10s.
	Max time.Duration

	// Jitter turns each capped delay d into the time Do waits. Nil means
	// full jitter, the package's Jitter function. Waiting exactly d
	// (func(d time.Duration) time.Duration { return d }) makes clients
	// that failed together retry together: it is for tests, and for a
	// dependency with a single client.
	Jitter func(d time.Duration) time.Duration

	// Budget, if non-nil, is shared by the callers of one dependency and
	// refuses retries while too many of their calls fail (see Budget).
	Budget *Budget
}

// Do calls op until it succeeds or retrying stops (see the package doc),
// waiting between calls as p says. It blocks until then, or until ctx is done,
// which also interrupts a wait. It returns nil if op succeeded, or else an
// *Error; if ctx was done before the first call, op is not called and the
// *Error holds ctx.Err() and 0 attempts. Do panics with "retry: nil op" if op
// is nil.
func Do(ctx context.Context, p Policy, op func(ctx context.Context) error) error {
	if op == nil {
		panic("retry: nil op")
	}
	maxAttempts := p.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = 3
	}
	ceiling := p.Max
	if ceiling <= 0 {
		ceiling = 10 * time.Second
	}
	delay := p.Base
	if delay <= 0 {
		delay = 100 * time.Millisecond
	}
	delay = min(delay, ceiling)
	jitter := p.Jitter
	if jitter == nil {
		jitter = Jitter
	}

	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil && attempt == 1 {
			return &Error{Err: err}
		}
		err := op(ctx)
		if err == nil {
			if p.Budget != nil {
				p.Budget.Success()
			}
			return nil
		}
		var perm *permanent
		switch {
		case errors.As(err, &perm):
			if err == error(perm) { //nolint:errorlint // identity: only a bare mark is replaced by what it marks; a wrapped one keeps its wrapper
				err = perm.err // the mark has done its job
			}
			return &Error{Attempts: attempt, Err: err}
		case ctx.Err() != nil:
			return &Error{Attempts: attempt, Err: err, ctxErr: ctx.Err()}
		case errors.Is(err, breaker.ErrOpen):
			return &Error{Attempts: attempt, Err: err}
		}
		// A failure retrying might cure: it costs the budget a token even
		// when no retry follows, since it says the dependency is failing.
		allowed := p.Budget == nil || p.Budget.Failure()
		if attempt == maxAttempts || !allowed {
			return &Error{Attempts: attempt, Err: err, budget: !allowed && attempt != maxAttempts}
		}
		if werr := wait(ctx, jitter(delay)); werr != nil {
			return &Error{Attempts: attempt, Err: err, ctxErr: werr}
		}
		if delay > ceiling/2 {
			delay = ceiling
		} else {
			delay *= 2
		}
	}
}

// wait pauses for d or until ctx is done, returning ctx.Err() in that case.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Jitter returns a random duration in [0, d), uniformly distributed: the
// full-jitter wait for a backoff delay d, for retry loops that do not use Do.
// It returns 0 for a d of zero or less. It does not block.
func Jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int63n(int64(d)))
}

// Permanent marks err as not worth retrying: Do returns at once, with err
// itself (the mark removed) as the *Error's Err. The mark is found through
// wrapping, so an op may return fmt.Errorf("...: %w", retry.Permanent(err)).
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanent{err}
}

type permanent struct{ err error }

func (p *permanent) Error() string { return p.err.Error() }
func (p *permanent) Unwrap() error { return p.err }

// Error is the error of a Do that gave up.
type Error struct {
	Attempts int   // how many times op was called
	Err      error // op's last error, or ctx.Err() if op was never called

	ctxErr error // the caller's ctx ended the retries
	budget bool  // the Budget refused a retry
}

func (e *Error) Error() string {
	why := ""
	switch {
	case e.ctxErr != nil:
		why = ", stopped by " + e.ctxErr.Error()
	case e.budget:
		why = ", retry budget exhausted"
	}
	plural := "s"
	if e.Attempts == 1 {
		plural = ""
	}
	return fmt.Sprintf("retry: %d attempt%s%s: %v", e.Attempts, plural, why, e.Err)
}

// Unwrap returns the last error and, if the caller's ctx ended the retries,
// ctx.Err(), so that errors.Is(err, context.Canceled) reports the caller's
// cancellation even when op's last error was something else.
func (e *Error) Unwrap() []error {
	if e.ctxErr == nil || errors.Is(e.Err, e.ctxErr) {
		return []error{e.Err}
	}
	return []error{e.Err, e.ctxErr}
}
