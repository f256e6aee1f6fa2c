// Package cancel tells cancellation apart from failure, so that code which
// handles errors does not swallow the end of its own context.
//
// The hazard it exists for: a handler that catches every error — logs it and
// goes on to the next item, falls back to a cache, retries, or returns nil —
// catches cancellation too. The request is gone or the service is shutting
// down, and the handler carries on working for nobody, or reports success for
// work it abandoned. The post-mortem this package comes from had 20+ such
// handlers, in Python, where the fix was `except CancelledError: raise` ahead
// of the catch-all. In Go the guard goes first in the error handling:
//
//	if err := process(ctx, item); err != nil {
//		if cancel.Of(ctx, err) {
//			return err // the caller's context has ended: stop, say why
//		}
//		log.Printf("skipping %v: %v", item, err)
//		continue
//	}
//
// # Which function
//
// [Of] answers "has the context I am working for ended?" and is the guard to
// use wherever that context is at hand: err is non-nil and ctx is done. It
// looks at ctx, not at err, because an error cannot say whose cancellation it
// is. A local timeout — net.Dialer.Timeout, http.Client.Timeout, a
// per-attempt context.WithTimeout — fails with an error that wraps
// context.DeadlineExceeded while the caller's context is fine and the code
// should go on to its next attempt; and a cancellation can arrive as an error
// that wraps neither sentinel: net/http returns context.Cause(ctx) as it is
// (a request cancelled with cause "client went away" fails with
// `Get "…": client went away`), grpc-go returns a status error that matches
// neither (grpc/grpc-go#4375), drivers map it to their own.
//
// [Is] answers the same question from the error alone, for code that has no
// context: a boundary choosing a log level or a status code, a metric. It is
// errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded),
// the test the standard library documents (ctx.Err returns one of those two;
// the net and net/http packages make their timeout errors match
// DeadlineExceeded and their cancellation errors match Canceled through Is
// methods), written once because hand-written guards routinely test only the
// first half, or compare with == and miss every wrapped error. errors.Is
// already walks %w chains, errors.Join and multiple %w, and honours Is
// methods, so Is adds no walk of its own. An error that merely reports a
// timeout — a net.Error whose Timeout() is true, os.ErrDeadlineExceeded from
// a connection's SetDeadline — is not cancellation unless it also matches
// context.DeadlineExceeded: a read deadline is the code's own bound on one
// operation, not the end of a context.
//
// [Err] is ctx.Err() with its cause: the error to return when code stops
// because ctx is done (`case <-ctx.Done(): return cancel.Err(ctx)`). The
// standard library offers ctx.Err(), which loses the cause, or
// context.Cause(ctx), which keeps it but is an arbitrary error that Is and
// every errors.Is(err, context.Canceled) upstream fail to recognise. Err's
// error matches both the context's error and its cause.
//
// Why hand-written: nothing in the standard library or golang.org/x joins the
// two sentinels, distinguishes the caller's cancellation from a local timeout,
// or returns a cause that still matches context.Canceled; the package's tests
// show each gap (the net/http cause, the dialer's timeout, the == comparison).
package cancel

import (
	"context"
	"errors"
)

// Is reports whether err is, or wraps, context.Canceled or
// context.DeadlineExceeded, as errors.Is sees it: through %w, errors.Join,
// multiple %w and Is methods. Is(nil) is false. It does not block.
//
// Is cannot recognise a bare cause (see context.Cause): a cause is an
// arbitrary error. Return [Err] rather than context.Cause so that Is, and
// errors.Is upstream, still see the cancellation; where the context is at
// hand, [Of] recognises a cancellation whatever its error says. Is also
// reports true for local timeouts that match context.DeadlineExceeded (see
// the package doc), which only Of can tell from the caller's cancellation.
func Is(err error) bool {
	if err == nil {
		return false // the common case, and errors.Is would walk nothing
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Of reports whether err should be handled as ctx's cancellation: err is
// non-nil and ctx is done. It does not block.
//
// It is the guard for code that would otherwise handle err and go on working
// for ctx (retry, skip, fall back, return nil): once ctx has ended, whatever
// err says — a wrapped context.Canceled, a bare cause, a driver's own error
// for an interrupted call — the work is no longer wanted, and err is to be
// returned. While ctx is not done, Of is false even if err matches
// context.DeadlineExceeded: that deadline was someone's local bound (a
// per-attempt timeout, a dialer's Timeout), and the code may go on.
//
// Pass the context the code goes on working for, not a per-attempt context
// derived from it. A nil ctx is treated as context.Background(), which is
// never done.
func Of(ctx context.Context, err error) bool {
	return err != nil && ctx != nil && ctx.Err() != nil
}

// Err returns nil while ctx is not done, and otherwise ctx's error together
// with its cause (see context.Cause): ctx.Err() itself when the context has no
// cause of its own or its cause already matches ctx.Err(); else an error that
// matches both, for errors.Is and errors.As, and whose text is ctx.Err()'s
// followed by the cause's ("context canceled: client went away"). It does
// not block. A nil ctx is treated as context.Background(), so Err(nil) is nil.
func Err(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	err := ctx.Err()
	if err == nil {
		return nil
	}
	cause := context.Cause(ctx)
	switch {
	case cause == nil:
		return err
	case errors.Is(cause, err):
		// No cause was given (Cause returns Err itself), or the cause says
		// it is cancellation already.
		return cause
	}
	return &causeError{err: err, cause: cause}
}

// causeError is a context's error with the cause it was given.
type causeError struct {
	err   error // context.Canceled or context.DeadlineExceeded
	cause error
}

func (e *causeError) Error() string { return e.err.Error() + ": " + e.cause.Error() }

// Unwrap puts the context's error first: errors.As looks there first, so an
// expired deadline answers a net.Error target before anything in the cause.
func (e *causeError) Unwrap() []error { return []error{e.err, e.cause} }
