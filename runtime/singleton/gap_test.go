//go:build go1.25

// The //go:debug asynctimerchan=0 that testing/synctest needs is in
// synctest_test.go: a test binary may set it only once.

package singleton_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/singleton"
)

// The gaps in sync.OnceValues that Lazy closes, measured side by side on a
// dependency that is down for the first two seconds of the process.

// flaky is a dependency that refuses connections until up.
type flaky struct {
	up    time.Time
	mu    sync.Mutex
	calls int
}

var errRefused = errors.New("connection refused")

func (f *flaky) dial() (*conn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if time.Now().Before(f.up) {
		return nil, errRefused
	}
	return &conn{id: f.calls}, nil
}

// OnceValues caches the start-up failure for the life of the process; Lazy
// retries after its delay and recovers.
func TestGapOnceValuesCachesFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		once := &flaky{up: time.Now().Add(2 * time.Second)}
		get := sync.OnceValues(once.dial)

		lazyDep := &flaky{up: time.Now().Add(2 * time.Second)}
		tasks, _ := newTasks()
		defer shutdown(t, tasks)
		l := singleton.Lazy[*conn]{Tasks: tasks, New: func(context.Context) (*conn, error) {
			return lazyDep.dial()
		}}

		var onceErr, lazyErr error
		for i := 0; i < 10; i++ { // one call a second, from t=0 to t=9s
			_, onceErr = get()
			_, lazyErr = l.Get(context.Background())
			time.Sleep(time.Second)
		}
		if onceErr != errRefused || once.calls != 1 {
			t.Errorf("OnceValues after 10s: %v after %d calls; the gap has closed", onceErr, once.calls)
		}
		if lazyErr != nil {
			t.Errorf("Lazy after 10s: %v, want recovered", lazyErr)
		}
		// Attempts at 0s and 1s fail, the one at 2s succeeds: no hammering.
		if lazyDep.calls != 3 {
			t.Errorf("Lazy made %d attempts, want 3", lazyDep.calls)
		}
	})
}

// OnceValues has no context: a caller with a one-second deadline waits as
// long as the slow initialisation takes. Lazy's caller leaves at its deadline.
func TestGapOnceValuesIgnoresDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slowInit := func() (*conn, error) {
			time.Sleep(10 * time.Second)
			return &conn{}, nil
		}
		get := sync.OnceValues(slowInit)
		tasks, _ := newTasks()
		defer shutdown(t, tasks)
		l := singleton.Lazy[*conn]{Tasks: tasks, New: func(context.Context) (*conn, error) { return slowInit() }}

		// A caller with a one-second deadline has no way to hand it over.
		start := time.Now()
		_, _ = get()
		if d := time.Since(start); d != 10*time.Second {
			t.Errorf("OnceValues caller with a 1s deadline waited %v; the gap has closed", d)
		}

		start = time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := l.Get(ctx); err != context.DeadlineExceeded {
			t.Errorf("Lazy.Get = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("Lazy caller with a 1s deadline waited %v", d)
		}
	})
}
