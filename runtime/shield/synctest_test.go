//go:build go1.25

//go:debug asynctimerchan=0

package shield_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/shield"
	"github.com/resilvet/resilvet/runtime/task"
)

// In a synctest bubble time moves only when every goroutine is blocked, so
// these tests check exact times. Flights run in a task group made inside the
// bubble, never task's default group, whose context may belong to no bubble.

func TestSleep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if err := shield.Sleep(context.Background(), 10*time.Second); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 10*time.Second {
			t.Errorf("slept %v, want 10s", d)
		}

		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		start = time.Now()
		err := shield.Sleep(ctx, 10*time.Second)
		if err != context.DeadlineExceeded {
			t.Errorf("Sleep = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("Sleep returned after %v, want the 3s deadline", d)
		}
	})
}

func TestSleepReturnsErrNotCause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		cause := errors.New("client went away")
		time.AfterFunc(time.Second, func() { cancel(cause) })
		err := shield.Sleep(ctx, time.Minute)
		if err != context.Canceled || context.Cause(ctx) != cause {
			t.Errorf("Sleep = %v (cause %v), want context.Canceled (cause %v)", err, context.Cause(ctx), cause)
		}
	})
}

func TestWaitDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var wg sync.WaitGroup
		var finished atomic.Bool
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Minute)
			finished.Store(true)
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		if err := shield.Wait(ctx, &wg); err != context.DeadlineExceeded {
			t.Errorf("Wait = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("Wait returned after %v, want the 5s deadline", d)
		}
		if finished.Load() {
			t.Error("the worker finished before Wait gave up")
		}
		// The worker goes on, and Wait's helper with it, until the
		// counter reaches zero: synctest.Test waits for both to exit.
		wg.Wait()
		if d := time.Since(start); d != time.Minute {
			t.Errorf("worker ended after %v, want 1m", d)
		}
	})
}

// TestImpatientCallerDoesNotPoisonFlight is the case singleflight gets wrong:
// the first caller cancels, the work goes on, and the second caller gets the
// value.
func TestImpatientCallerDoesNotPoisonFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks := quietTasks()
		g := shield.Group[string, string]{Tasks: tasks, Name: "config.load", Timeout: time.Minute}
		var calls atomic.Int32
		load := func(ctx context.Context) (string, error) {
			calls.Add(1)
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) != time.Minute {
				t.Errorf("flight deadline in %v, want the group's 1m, not the caller's", time.Until(dl))
			}
			select {
			case <-time.After(3 * time.Second):
				return "config v1", nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}

		var wg sync.WaitGroup
		start := time.Now()
		wg.Add(2)
		go func() { // A: gives up after 1s
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			v, err := g.Do(ctx, "cfg", load)
			if v != "" || err != context.DeadlineExceeded {
				t.Errorf("A: Do = %q, %v, want its own DeadlineExceeded", v, err)
			}
			if d := time.Since(start); d != time.Second {
				t.Errorf("A returned after %v, want 1s", d)
			}
		}()
		go func() { // B: joins at 500ms and waits
			defer wg.Done()
			time.Sleep(500 * time.Millisecond)
			v, err := g.Do(context.Background(), "cfg", load)
			if v != "config v1" || err != nil {
				t.Errorf("B: Do = %q, %v, want the value", v, err)
			}
			if d := time.Since(start); d != 3*time.Second {
				t.Errorf("B returned after %v, want 3s", d)
			}
		}()
		wg.Wait()
		if n := calls.Load(); n != 1 {
			t.Errorf("fn ran %d times, want 1 shared call", n)
		}

		// The flight has landed: the next Do starts a new call.
		if _, err := g.Do(context.Background(), "cfg", load); err != nil {
			t.Fatal(err)
		}
		if n := calls.Load(); n != 2 {
			t.Errorf("fn ran %d times, want 2", n)
		}
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFlightTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks := quietTasks()
		var failures atomic.Int32
		tasks.OnError = func(string, error) { failures.Add(1) }
		g := shield.Group[int, int]{Tasks: tasks} // zero Timeout: one minute
		start := time.Now()
		_, err := g.Do(context.Background(), 1, func(ctx context.Context) (int, error) {
			<-ctx.Done()
			return 0, ctx.Err()
		})
		if err != context.DeadlineExceeded {
			t.Errorf("Do = %v, want the flight's DeadlineExceeded", err)
		}
		if d := time.Since(start); d != time.Minute {
			t.Errorf("flight timed out after %v, want the default 1m", d)
		}
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if failures.Load() != 1 {
			t.Errorf("timed-out flight reported %d times, want 1 (its callers may all have gone)", failures.Load())
		}
	})
}

func TestPanicReachesEveryWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks := quietTasks()
		tasks.RecoverPanics = true
		g := shield.Group[string, int]{Tasks: tasks}
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := g.Do(context.Background(), "k", func(context.Context) (int, error) {
					time.Sleep(time.Second) // let every caller join
					panic("corrupt cache entry")
				})
				var pe *task.PanicError
				if !errors.As(err, &pe) || pe.Value != "corrupt cache entry" {
					t.Errorf("Do = %v, want the panic as a *task.PanicError", err)
				}
			}()
		}
		wg.Wait()
		if err := tasks.Shutdown(context.Background()); err == nil || !strings.Contains(err.Error(), "1 task panicked") {
			t.Errorf("Shutdown = %v, want the flight's panic named", err)
		}
	})
}

func TestForgetStartsNewFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks := quietTasks()
		g := shield.Group[string, int]{Tasks: tasks}
		var calls atomic.Int32
		slow := func(context.Context) (int, error) {
			n := calls.Add(1)
			time.Sleep(time.Second)
			return int(n), nil
		}
		first := make(chan int)
		go func() {
			v, _ := g.Do(context.Background(), "k", slow)
			first <- v
		}()
		synctest.Wait() // the first flight is running
		g.Forget("k")
		v2, err := g.Do(context.Background(), "k", slow)
		if err != nil || v2 != 2 {
			t.Errorf("Do after Forget = %d, %v, want the second call's 2", v2, err)
		}
		if v1 := <-first; v1 != 1 {
			t.Errorf("first caller got %d, want its own flight's 1", v1)
		}
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestShutdownNamesStuckFlight: a flight that ignores cancellation is a
// straggler of its task group, named after the Group; its waiters still
// return on their own contexts.
func TestShutdownNamesStuckFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks := quietTasks()
		g := shield.Group[string, int]{Tasks: tasks, Name: "users.load", Timeout: time.Hour}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		go func() {
			_, _ = g.Do(ctx, "u1", func(context.Context) (int, error) {
				time.Sleep(10 * time.Minute) // ignores its context
				return 1, nil
			})
		}()
		time.Sleep(5 * time.Second)
		sctx, scancel := context.WithTimeout(context.Background(), time.Second)
		defer scancel()
		err := tasks.Shutdown(sctx)
		if err == nil || !strings.Contains(err.Error(), `"users.load" (running 6s)`) {
			t.Errorf("Shutdown = %v, want the stuck flight named", err)
		}
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
