package cancel_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/cancel"
)

// netTimeout is a net.Error that reports a timeout, optionally wrapping
// another error, as drivers' own timeout errors do.
type netTimeout struct{ wrapped error }

func (e netTimeout) Error() string   { return "i/o timeout" }
func (e netTimeout) Timeout() bool   { return true }
func (e netTimeout) Temporary() bool { return true }
func (e netTimeout) Unwrap() error   { return e.wrapped }

var _ net.Error = netTimeout{}

// isCanceled matches context.Canceled through an Is method only, as the net
// package's "operation was canceled" error does.
type isCanceled struct{}

func (isCanceled) Error() string        { return "operation was canceled" }
func (isCanceled) Is(target error) bool { return target == context.Canceled }

func TestIs(t *testing.T) {
	plain := errors.New("connection refused")
	cause := errors.New("client went away")
	causeCtx, stop := context.WithCancelCause(context.Background())
	stop(cause)

	for _, test := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", plain, false},
		{"Canceled", context.Canceled, true},
		{"DeadlineExceeded", context.DeadlineExceeded, true},
		{"%w Canceled", fmt.Errorf("fetch: %w", context.Canceled), true},
		{"%w %w DeadlineExceeded", fmt.Errorf("handler: %w", fmt.Errorf("fetch: %w", context.DeadlineExceeded)), true},
		{"%v Canceled (not wrapped)", errors.New("fetch: " + context.Canceled.Error()), false}, // what fmt.Errorf("fetch: %v", context.Canceled) returns
		{"Join(plain, Canceled)", errors.Join(plain, context.Canceled), true},
		{"Join(plain, plain)", errors.Join(plain, plain), false},
		{"multiple %w", fmt.Errorf("%w; then %w", plain, context.DeadlineExceeded), true},
		{"multiple %w, neither", fmt.Errorf("%w; then %w", plain, plain), false},
		{"Is method", isCanceled{}, true},
		{"%w Is method", fmt.Errorf("read: %w", isCanceled{}), true},
		{"url.Error wrapping Canceled", &url.Error{Op: "Get", URL: "http://x", Err: context.Canceled}, true},
		{"net.Error timeout", netTimeout{}, false},
		{"net.Error timeout wrapping DeadlineExceeded", netTimeout{wrapped: context.DeadlineExceeded}, true},
		{"os.ErrDeadlineExceeded", os.ErrDeadlineExceeded, false},
		{"%w os.ErrDeadlineExceeded", fmt.Errorf("read: %w", os.ErrDeadlineExceeded), false},
		{"bare cause", cause, false},
		{"Err(ctx) with a cause", cancel.Err(causeCtx), true},
	} {
		if got := cancel.Is(test.err); got != test.want {
			t.Errorf("%s: Is(%v) = %v, want %v", test.name, test.err, got, test.want)
		}
	}
}

// The standard library's own errors: a connection's read deadline is not
// cancellation; a dialer's timeout matches DeadlineExceeded (the net package
// maps it so), which is why the guard is Of, not Is.
func TestIsNetErrors(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	if err := c1.SetReadDeadline(time.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := c1.Read(make([]byte, 1))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read past deadline = %v, want a net.Error timeout matching os.ErrDeadlineExceeded", err)
	}
	if cancel.Is(err) {
		t.Errorf("Is(%v) = true for a read deadline, want false", err)
	}

	// A negative Timeout is a deadline already past: the dial fails at once,
	// before any packet is sent.
	_, err = (&net.Dialer{Timeout: -1}).DialContext(context.Background(), "tcp", "127.0.0.1:1")
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("dial past its timeout = %v, want a net.Error timeout", err)
	}
	if !cancel.Is(err) {
		t.Errorf("Is(%v) = false for the net package's timeout, which matches DeadlineExceeded", err)
	}
	if cancel.Of(context.Background(), err) {
		t.Errorf("Of(Background, %v) = true: the dialer's own timeout is not the caller's cancellation", err)
	}
}

func TestOf(t *testing.T) {
	plain := errors.New("connection refused")
	live := context.Background()
	done, stop := context.WithCancel(context.Background())
	stop()
	expired, stop2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop2()
	attempt, stop3 := context.WithTimeout(live, -1) // a per-attempt timeout, already over
	defer stop3()

	for _, test := range []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"live, nil", live, nil, false},
		{"live, plain", live, plain, false},
		{"live, per-attempt DeadlineExceeded", live, attempt.Err(), false},
		{"the attempt's own context", attempt, attempt.Err(), true},
		{"live, Canceled of another context", live, context.Canceled, false},
		{"done, nil", done, nil, false},
		{"done, Canceled", done, context.Canceled, true},
		{"done, bare cause", done, errors.New("client went away"), true},
		{"done, driver's own error", done, errors.New("pq: canceling statement due to user request"), true},
		{"expired, wrapped DeadlineExceeded", expired, fmt.Errorf("query: %w", context.DeadlineExceeded), true},
		{"nil ctx, Canceled", nil, context.Canceled, false},
	} {
		if got := cancel.Of(test.ctx, test.err); got != test.want {
			t.Errorf("%s: Of = %v, want %v", test.name, got, test.want)
		}
	}
}

func TestErr(t *testing.T) {
	if err := cancel.Err(context.Background()); err != nil {
		t.Errorf("Err(Background) = %v, want nil", err)
	}
	if err := cancel.Err(nil); err != nil { //nolint:staticcheck // nil is documented as Background
		t.Errorf("Err(nil) = %v, want nil", err)
	}

	ctx, stop := context.WithCancel(context.Background())
	stop()
	if err := cancel.Err(ctx); err != context.Canceled {
		t.Errorf("Err after cancel() = %v, want context.Canceled itself", err)
	}

	ctx, stopCause := context.WithCancelCause(context.Background())
	stopCause(nil)
	if err := cancel.Err(ctx); err != context.Canceled {
		t.Errorf("Err after cancel(nil) = %v, want context.Canceled itself", err)
	}

	cause := errors.New("client went away")
	ctx, stopCause = context.WithCancelCause(context.Background())
	stopCause(cause)
	err := cancel.Err(ctx)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, cause) || !cancel.Is(err) {
		t.Errorf("Err with a cause = %v, want it to match context.Canceled and the cause", err)
	}
	if got, want := err.Error(), "context canceled: client went away"; got != want {
		t.Errorf("Err with a cause reads %q, want %q", got, want)
	}

	// A cause that already says it is cancellation is returned as it is.
	wrapping := fmt.Errorf("shutting down: %w", context.Canceled)
	ctx, stopCause = context.WithCancelCause(context.Background())
	stopCause(wrapping)
	if err := cancel.Err(ctx); err != wrapping {
		t.Errorf("Err with a cause wrapping Canceled = %v, want the cause itself", err)
	}

	slow := errors.New("backend too slow")
	ctx, stop = context.WithDeadlineCause(context.Background(), time.Now().Add(-time.Second), slow)
	defer stop()
	err = cancel.Err(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, slow) || errors.Is(err, context.Canceled) {
		t.Errorf("Err past a deadline with a cause = %v, want it to match DeadlineExceeded and the cause only", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("errors.As(%v, net.Error) finds no timeout; DeadlineExceeded is one", err)
	}
}

// The gap the package closes, measured on the standard library: a request
// cancelled with a cause fails with the bare cause, which neither the usual
// errors.Is test nor Is recognises; Of does.
func TestGapHTTPCause(t *testing.T) {
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	cause := errors.New("client went away")
	ctx, stop := context.WithCancelCause(context.Background())
	stop(cause)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Do(req)
	if err == nil {
		t.Fatal("request on a cancelled context succeeded")
	}
	if !errors.Is(err, cause) {
		t.Fatalf("Do = %v, want the cause (net/http returns context.Cause)", err)
	}
	if stdlib := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded); stdlib {
		t.Errorf("errors.Is(%v, Canceled or DeadlineExceeded) = true; the gap this test shows has closed upstream", err)
	}
	if cancel.Is(err) {
		t.Errorf("Is(%v) = true, want false: a bare cause carries no sign of cancellation", err)
	}
	if !cancel.Of(ctx, err) {
		t.Errorf("Of(ctx, %v) = false, want true: ctx is done", err)
	}
}

// == misses every wrapped cancellation, which is what the swallowcancel
// analyzer's compare rule reports.
func TestGapCompare(t *testing.T) {
	err := fmt.Errorf("fetch user: %w", context.Canceled)
	if err == context.Canceled { // the comparison under test (.golangci.yml lets tests compare errors with ==)
		t.Fatal("a wrapped error compared equal to its sentinel")
	}
	if !cancel.Is(err) {
		t.Errorf("Is(%v) = false", err)
	}
}
