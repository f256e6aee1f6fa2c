// Package cancel is a stub of the runtime package for the analyzer's tests.
package cancel

import (
	"context"
	"errors"
)

func Is(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func Of(ctx context.Context, err error) bool { return err != nil && ctx != nil && ctx.Err() != nil }

func Err(ctx context.Context) error { return ctx.Err() }
