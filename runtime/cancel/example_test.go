package cancel_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/resilvet/resilvet/runtime/cancel"
)

// The guard goes first in error handling that would otherwise carry on: a
// failed item is skipped, but the end of the context stops the loop.
func ExampleOf() {
	ctx, stop := context.WithCancel(context.Background())
	process := func(_ context.Context, item string) error {
		if item == "b" {
			stop() // e.g. the client went away while "b" was being processed
			return fmt.Errorf("process %s: %w", item, context.Canceled)
		}
		if item == "a" {
			return errors.New("process a: malformed")
		}
		fmt.Println("processed", item)
		return nil
	}

	run := func(ctx context.Context, items []string) error {
		for _, item := range items {
			if err := process(ctx, item); err != nil {
				if cancel.Of(ctx, err) {
					return err
				}
				fmt.Println("skipped:", err)
				continue
			}
		}
		return nil
	}
	fmt.Println("run:", run(ctx, []string{"a", "b", "c"}))
	// Output:
	// skipped: process a: malformed
	// run: process b: context canceled
}

// A per-attempt timeout is the code's own bound: the caller's context is
// fine, so Of says go on, where Is would stop.
func ExampleOf_perAttemptTimeout() {
	ctx := context.Background() // the request's context, still live
	attempt, stop := context.WithTimeout(ctx, -1)
	defer stop()
	err := fmt.Errorf("replica 1: %w", attempt.Err())

	fmt.Println("Is:", cancel.Is(err))
	fmt.Println("Of:", cancel.Of(ctx, err))
	// Output:
	// Is: true
	// Of: false
}

// Is needs only the error, for code that has no context: here, choosing a
// log level at a boundary.
func ExampleIs() {
	for _, err := range []error{
		errors.New("backend unavailable"),
		fmt.Errorf("list users: %w", context.DeadlineExceeded),
		errors.Join(errors.New("flush failed"), context.Canceled),
	} {
		level := "ERROR"
		if cancel.Is(err) {
			level = "INFO" // the caller left; nothing failed
		}
		fmt.Println(level, err)
	}
	// Output:
	// ERROR backend unavailable
	// INFO list users: context deadline exceeded
	// INFO flush failed
	// context canceled
}

// Err keeps the cause and still reads as cancellation upstream.
func ExampleErr() {
	ctx, stop := context.WithCancelCause(context.Background())
	stop(errors.New("server shutting down"))

	wait := func(ctx context.Context) error {
		<-ctx.Done()
		return cancel.Err(ctx)
	}
	err := wait(ctx)
	fmt.Println(err)
	fmt.Println(errors.Is(err, context.Canceled), cancel.Is(err))
	// Output:
	// context canceled: server shutting down
	// true true
}
