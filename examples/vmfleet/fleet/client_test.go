//go:build go1.25

// The //go:debug asynctimerchan=0 that synctest needs is in fleet_test.go: a
// package may say it once.

package fleet_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/examples/vmfleet/fakecloud"
	"github.com/resilvet/resilvet/examples/vmfleet/fleet"
	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/cancel"
)

// dial returns a Client of h's cloud, with the manager's retry policy.
func (h *harness) dial() *fleet.Client {
	h.t.Helper()
	c, err := fleet.Dial(context.Background(), fleet.ClientConfig{URL: h.cfg.CloudURL, Name: h.cfg.Name,
		Policy: fleet.RetryPolicy(), HTTP: h.cfg.HTTP, Tasks: h.tasks})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(h.shutdown)
	return c
}

func breakerOf(t *testing.T, name string) *breaker.Breaker {
	t.Helper()
	b, err := breaker.Get(name, breaker.Settings{})
	if b == nil {
		t.Fatal(err)
	}
	return b // err says the settings differ from the client's, which is expected
}

// TestTokenRefreshIsShared lets a token run out under 50 concurrent calls: one
// refresh serves them all, and the caller that gives up during it does not
// fail it for the others.
func TestTokenRefreshIsShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, 0)
		h.cloud.TokenTTL = 10 * time.Second
		c := h.dial()
		time.Sleep(9500 * time.Millisecond)                                  // past the renewal point, 9s
		h.cloud.SetFaults(fakecloud.Faults{Latency: 200 * time.Millisecond}) // a slow refresh

		impatient, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer stop()
		var wg sync.WaitGroup
		errs := make([]error, 50)
		for i := range errs {
			ctx := context.Background()
			if i == 0 {
				ctx = impatient
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = c.List(ctx)
			}()
		}
		wg.Wait()
		if !cancel.Is(errs[0]) {
			t.Errorf("the impatient call: %v, want its own deadline", errs[0])
		}
		if err := errors.Join(errs[1:]...); err != nil {
			t.Errorf("the patient calls: %v", err)
		}
		if n := h.cloud.Stats().Requests["token"]; n != 2 {
			t.Errorf("%d token requests, want 2: Dial's and one shared refresh", n)
		}
		if st := c.Stats()["list"]; st.Failures != 0 {
			t.Errorf("list stats %+v: the impatient caller's deadline counted as a failure", st)
		}
	})
}

// TestRateLimitHonoursRetryAfter sends 5 calls at once to an API admitting 2
// a second: the 429s are waited out, not counted against the breaker.
func TestRateLimitHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, 0)
		c := h.dial()
		h.cloud.SetFaults(fakecloud.Faults{Rate: 2})
		start := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = c.List(context.Background())
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if n := h.cloud.Stats().Faulted["list"]; n < 3 {
			t.Errorf("%d calls answered 429, want at least 3", n)
		}
		if d := time.Since(start); d < 2*time.Second {
			t.Errorf("5 calls at 2/s done in %v: Retry-After (1s) was not waited out", d)
		}
		if counts := breakerOf(t, h.cfg.Name+".list").Counts(); counts.TotalFailures != 0 {
			t.Errorf("list breaker counts %+v: a 429 counted as a failure", counts)
		}
	})
}

// TestCallerCancellationIsNotAFailure cancels ten calls to a slow API: none
// trips the breaker or counts as a failure.
func TestCallerCancellationIsNotAFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, 0)
		c := h.dial()
		h.cloud.SetFaults(fakecloud.Faults{Latency: time.Second})
		for range 10 {
			ctx, cancelCall := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancelCall)
			if _, err := c.List(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled List = %v", err)
			}
			cancelCall()
		}
		b := breakerOf(t, h.cfg.Name+".list")
		if b.State() != breaker.StateClosed || b.Counts().TotalFailures != 0 || c.Stats()["list"].Failures != 0 {
			t.Errorf("after 10 cancelled calls: breaker %v %+v, stats %+v", b.State(), b.Counts(), c.Stats()["list"])
		}
	})
}
