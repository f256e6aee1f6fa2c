//go:build go1.21

package compare

import (
	"context"
	"errors"
	"io"
	"log"
)

var errCanceled = io.ErrClosedPipe

func fetch(ctx context.Context) error { return nil }

func eq(ctx context.Context) bool {
	err := fetch(ctx)
	return err == context.Canceled // want `== context.Canceled is false for an error that wraps it: use errors.Is`
}

func neq(ctx context.Context) {
	if err := fetch(ctx); err != nil && err != context.DeadlineExceeded { // want `!= context.DeadlineExceeded is true for an error that wraps it: use errors.Is`
		log.Print(err)
	}
}

// reversed puts the sentinel first.
func reversed(err error) bool {
	return context.Canceled == err // want `== context.Canceled is false for an error that wraps it`
}

// switched: every case keeps its meaning but the sentinels', which now also
// match errors that wrap them.
func switched(err error) int {
	switch err { // a tag switch: rewritten as a switch on conditions
	case nil:
		return 0
	case context.Canceled, context.DeadlineExceeded: // want `case context.Canceled is not taken for an error that wraps it: switch on errors.Is`
		return 1
	case io.EOF:
		return 2
	default:
		return 3
	}
}

// ctxErr compares the context's own error, which is never wrapped (as
// errorlint allows): silent.
func ctxErr(ctx context.Context) bool {
	if ctx.Err() == context.Canceled {
		return true
	}
	err := ctx.Err()
	return err == context.DeadlineExceeded
}

// unwrapped walks the chain itself: silent.
func unwrapped(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e == context.Canceled {
			return true
		}
	}
	return false
}

type myErr struct{}

func (myErr) Error() string { return "mine" }

// Is is called by errors.Is with each error of a chain: silent.
func (myErr) Is(target error) bool { return target == context.Canceled }

// mapped translates the sentinels themselves and returns any other error as
// it is, which errors.Is still sees through: silent.
func mapped(err error) error {
	switch err {
	case context.Canceled:
		return errCanceled
	default:
		return err
	}
}

// generic compares the error of a method of a type parameter.
func generic[S interface{ Stop(context.Context) error }](ctx context.Context, s S) bool {
	return s.Stop(ctx) == context.Canceled // want `== context.Canceled is false for an error that wraps it`
}

// methodValue compares the error of a call through a method value.
func methodValue(ctx context.Context, s interface{ Stop(context.Context) error }) bool {
	stop := s.Stop
	return stop(ctx) != context.DeadlineExceeded // want `!= context.DeadlineExceeded is true for an error that wraps it`
}

// anyValue compares a value of type any (a result handed on untyped), which
// errors.Is cannot be given: silent.
func anyValue(result any) bool {
	return result == context.DeadlineExceeded
}
