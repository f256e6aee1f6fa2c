package runtimecmp_test

// These tests pin down the gaps in sony/gobreaker v2.4.0 that runtime/breaker's
// package doc gives as the reason it is hand-written, each next to the
// runtime's behaviour on the same scenario. If gobreaker closes a gap, its
// test fails and the package doc must be revisited.

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/sony/gobreaker/v2"
)

// cancelledCall is a request whose caller goes away while it runs: it cancels
// ctx and returns the cancellation, as a context-aware client does.
func cancelledCall(ctx context.Context, cancel context.CancelFunc) error {
	cancel()
	return ctx.Err()
}

// TestGapBreakerCancellation: six callers that go away mid-request trip a
// gobreaker with its default ReadyToTrip (more than five consecutive
// failures); runtime/breaker counts them as exclusions and stays closed.
func TestGapBreakerCancellation(t *testing.T) {
	theirs := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
	ours, err := breaker.Get("gap.cancellation", breaker.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		_, _ = theirs.Execute(func() (any, error) { return nil, cancelledCall(ctx, cancel) })
		ctx, cancel = context.WithCancel(context.Background())
		_ = ours.Do(ctx, func(ctx context.Context) error { return cancelledCall(ctx, cancel) })
	}
	if s := theirs.State(); s != gobreaker.StateOpen {
		t.Errorf("gobreaker: %v after six cancelled calls, want open", s)
	}
	if s, c := ours.State(), ours.Counts(); s != breaker.StateClosed || c.TotalExclusions != 6 || c.TotalFailures != 0 {
		t.Errorf("runtime/breaker: %v %+v, want closed with six exclusions", s, c)
	}
}

// TestGapBreakerNoRestore: gobreaker's CircuitBreaker and TwoStepCircuitBreaker
// expose no state beyond reading it (no exported fields, no method that sets
// state), so a restarted process starts closed with zero counts.
func TestGapBreakerNoRestore(t *testing.T) {
	for _, v := range []any{new(gobreaker.CircuitBreaker[any]), new(gobreaker.TwoStepCircuitBreaker[any])} {
		typ := reflect.TypeOf(v)
		var methods []string
		for i := 0; i < typ.NumMethod(); i++ {
			methods = append(methods, typ.Method(i).Name)
		}
		want := []string{"Counts", "Execute", "Name", "State"}
		if strings.Contains(typ.String(), "TwoStep") {
			want = []string{"Allow", "Counts", "Name", "State"}
		}
		if !slices.Equal(methods, want) {
			t.Errorf("%v has methods %v, want only %v", typ, methods, want)
		}
		for i := 0; i < typ.Elem().NumField(); i++ {
			if f := typ.Elem().Field(i); f.IsExported() {
				t.Errorf("%v has exported field %s", typ, f.Name)
			}
		}
	}
}

// memStore is an in-memory gobreaker.SharedDataStore: a lock that fails
// while held, as a Redis SETNX does, and a map.
type memStore struct {
	mu     sync.Mutex
	locked map[string]bool
	data   map[string][]byte
}

func (s *memStore) Lock(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locked[name] {
		return errors.New("locked")
	}
	s.locked[name] = true
	return nil
}

func (s *memStore) Unlock(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.locked, name)
	return nil
}

func (s *memStore) GetData(name string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[name], nil
}

func (s *memStore) SetData(name string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[name] = data
	return nil
}

// TestGapBreakerDistributedSerializes: gobreaker's DistributedCircuitBreaker,
// its way to keep state outside the process, holds the store's lock while
// the request runs. A second request, started 100ms after a 2s one, starts
// only when the first has ended (at the lock's next 500ms retry).
// runtime/breaker's calls run side by side.
func TestGapBreakerDistributedSerializes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dcb, err := gobreaker.NewDistributedCircuitBreaker[any](&memStore{locked: map[string]bool{}, data: map[string][]byte{}}, gobreaker.Settings{Name: "gap"})
		if err != nil {
			t.Fatal(err)
		}
		theirs := secondStart(func(d time.Duration) error {
			_, err := dcb.Execute(func() (any, error) { time.Sleep(d); return nil, nil })
			return err
		})
		if theirs < 2*time.Second {
			t.Errorf("gobreaker distributed: second request started at %v, want after the first ended at 2s", theirs)
		}

		ours, err := breaker.Get("gap.distributed", breaker.Settings{})
		if err != nil {
			t.Fatal(err)
		}
		if got := secondStart(func(d time.Duration) error {
			return ours.Do(context.Background(), func(context.Context) error { time.Sleep(d); return nil })
		}); got != 100*time.Millisecond {
			t.Errorf("runtime/breaker: second request started at %v, want 100ms", got)
		}
		t.Logf("second request started at %v through gobreaker's distributed breaker, %v through runtime/breaker", theirs, 100*time.Millisecond)
	})
}

// secondStart runs a 2s call through exec, and 100ms later a short one, and
// returns when the short one's request began.
func secondStart(exec func(d time.Duration) error) time.Duration {
	start := time.Now()
	var began time.Duration
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_ = exec(2 * time.Second)
	}()
	go func() {
		defer wg.Done()
		time.Sleep(100 * time.Millisecond)
		_ = exec(0)
		began = time.Since(start) // the short request ends when it begins
	}()
	wg.Wait()
	return began
}

// TestGapBreakerCallbackDeadlock: gobreaker calls OnStateChange with its
// mutex held, so a callback that reads the breaker's State never returns.
// The child process deadlocks and is ended by -test.timeout; the same
// callback on runtime/breaker returns.
func TestGapBreakerCallbackDeadlock(t *testing.T) {
	if os.Getenv("RUNTIMECMP_CHILD") == "gobreaker-callback" {
		var cb *gobreaker.CircuitBreaker[any]
		cb = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{
			OnStateChange: func(string, gobreaker.State, gobreaker.State) { _ = cb.State() },
		})
		for i := 0; i < 6; i++ {
			_, _ = cb.Execute(func() (any, error) { return nil, errDep })
		}
		return // not reached if the callback deadlocked
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGapBreakerCallbackDeadlock$", "-test.timeout=1s")
	cmd.Env = append(os.Environ(), "RUNTIMECMP_CHILD=gobreaker-callback")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "test timed out") || !strings.Contains(string(out), "gobreaker/v2.(*CircuitBreaker[...]).State(") || !strings.Contains(string(out), "gobreaker/v2.(*CircuitBreaker[...]).setState(") {
		t.Errorf("gobreaker: want the child to hang in State inside the callback until -test.timeout; err=%v output:\n%.2000s", err, out)
	}

	var ours *breaker.Breaker
	var seen breaker.State
	ours, err = breaker.Get("gap.callback", breaker.Settings{
		OnStateChange: func(string, breaker.State, breaker.State) { seen = ours.State() },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		_ = ours.Do(context.Background(), func(context.Context) error { return errDep })
	}
	if seen != breaker.StateOpen {
		t.Errorf("runtime/breaker: the callback saw %v, want open", seen)
	}
}

// TestGapBreakerGoexit: a half-open gobreaker whose probe ends in
// runtime.Goexit (t.FailNow in a test helper) never
// frees the probe's slot, and refuses every later call, however long one
// waits. runtime/breaker counts the probe as failed: it reopens, then
// half-opens again after its timeout.
func TestGapBreakerGoexit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		goexit := func(call func()) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				call()
			}()
			<-done
		}
		theirs := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Timeout: time.Second})
		ours, err := breaker.Get("gap.goexit", breaker.Settings{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 6; i++ {
			_, _ = theirs.Execute(func() (any, error) { return nil, errDep })
			_ = ours.Do(context.Background(), func(context.Context) error { return errDep })
		}
		time.Sleep(time.Second + time.Nanosecond) // both half-open
		goexit(func() { _, _ = theirs.Execute(func() (any, error) { runtime.Goexit(); return nil, nil }) })
		goexit(func() {
			_ = ours.Do(context.Background(), func(context.Context) error { runtime.Goexit(); return nil })
		})

		time.Sleep(time.Hour)
		_, err = theirs.Execute(func() (any, error) { return nil, nil })
		if !errors.Is(err, gobreaker.ErrTooManyRequests) || theirs.State() != gobreaker.StateHalfOpen {
			t.Errorf("gobreaker an hour later: %v, %v; want still half-open, refusing", theirs.State(), err)
		}
		if err := ours.Do(context.Background(), func(context.Context) error { return nil }); err != nil || ours.State() != breaker.StateClosed {
			t.Errorf("runtime/breaker an hour later: %v, %v; want a probe let through and the breaker closed", ours.State(), err)
		}
	})
}
