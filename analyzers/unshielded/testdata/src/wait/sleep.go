package wait

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type point struct{ x, y int }

func retry(ctx context.Context, backoff time.Duration) error {
	for i := 0; i < 3; i++ {
		if work(ctx) == nil {
			return nil
		}
		time.Sleep(backoff) // want `time.Sleep is not interrupted when ctx is cancelled: use shield.Sleep\(ctx, d\)`
	}
	return errors.New("gave up")
}

func manyResults(ctx context.Context, d time.Duration) (int, string, *point, []byte, point, [2]int, bool, error) {
	time.Sleep(d) // want `time.Sleep is not interrupted`
	return 0, "", nil, nil, point{}, [2]int{}, false, nil
}

func generic[T any](ctx context.Context, d time.Duration) (T, error) {
	time.Sleep(d) // want `time.Sleep is not interrupted`
	var zero T
	return zero, nil
}

func named(ctx context.Context, d time.Duration) (n int, err error) {
	time.Sleep(d) // want `time.Sleep is not interrupted`
	return 1, nil
}

// noError cannot return the context's error: reported, no fix.
func noError(ctx context.Context, d time.Duration) {
	time.Sleep(d) // want `time.Sleep is not interrupted`
}

// notAStatement: a deferred sleep cannot become an if statement: no fix.
func notAStatement(ctx context.Context, d time.Duration) error {
	defer time.Sleep(d) // want `time.Sleep is not interrupted`
	return nil
}

// noCtx has no ctx in scope: nothing to honour, silent.
func noCtx(d time.Duration) error {
	time.Sleep(d)
	return nil
}

type stream interface{ Context() context.Context }

// declaredAfter: before ctx is declared no ctx is in scope.
func declaredAfter(s stream, d time.Duration) error {
	time.Sleep(d) // silent: ctx is declared below
	ctx := s.Context()
	time.Sleep(d) // want `time.Sleep is not interrupted when ctx is cancelled`
	return work(ctx)
}

// shadowed: ctx is shadowed by a string where the sleep is, silent.
func shadowed(ctx context.Context, d time.Duration) error {
	{
		ctx := "not a context"
		_ = ctx
		time.Sleep(d)
	}
	return work(ctx)
}

// fresh: a context the function makes from Background is its own, not its
// caller's: silent.
func fresh(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	time.Sleep(d)
	return work(ctx)
}

// derived contexts carry the caller's cancellation.
func derived(parent context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	defer cancel()
	time.Sleep(d) // want `time.Sleep is not interrupted when ctx is cancelled`
	return work(ctx)
}

func handler(w http.ResponseWriter, r *http.Request) {
	time.Sleep(2 * time.Second) // want `time.Sleep is not interrupted when r.Context\(\) is cancelled: use shield.Sleep\(r.Context\(\), d\)`
}

func handlerErr(w http.ResponseWriter, r *http.Request) error {
	time.Sleep(2 * time.Second) // want `when r.Context\(\) is cancelled`
	return nil
}

func closures(ctx context.Context, d time.Duration) {
	func() {
		time.Sleep(d) // want `time.Sleep is not interrupted`
	}()
	// Under go and defer the literal runs later: the caller's ctx is not
	// the one in scope there, silent.
	go func() {
		time.Sleep(d)
	}()
	defer func() {
		time.Sleep(d)
	}()
	_ = work(ctx)
}

// pauses: constant waits that delay cancellation by a bound the author
// chose are silent; a constant wait in a loop that never looks at ctx is
// reported.
func pauses(ctx context.Context) {
	time.Sleep(100 * time.Millisecond) // a short pause outside any loop: silent
	for ctx.Err() == nil {
		time.Sleep(time.Second) // the interval of a loop that checks ctx: silent
	}
	for {
		_ = work(ctx)
		time.Sleep(time.Second) // want `time.Sleep is not interrupted`
	}
}

func longPause(ctx context.Context) {
	time.Sleep(5 * time.Second) // want `time.Sleep is not interrupted`
	_ = work(ctx)
}

// neverCancelled: the code after the test runs only when ctx.Done() is
// nil, which means ctx can never be cancelled: silent.
func neverCancelled(ctx context.Context, next time.Duration) error {
	for {
		if work(ctx) == nil {
			return nil
		}
		if done := ctx.Done(); done != nil {
			select {
			case <-done:
				return ctx.Err()
			case <-time.After(next):
				continue
			}
		}
		time.Sleep(next)
	}
}

func after(ctx context.Context, d time.Duration) error {
	<-time.After(d) // want `<-time.After\(d\) is not interrupted when ctx is cancelled`
	select {
	case <-time.After(d): // a select case, not a lone receive; one case is staticcheck's S1037: silent
	}
	return nil
}

func work(ctx context.Context) error { return ctx.Err() }
