//go:build go1.25

//go:debug asynctimerchan=0

package singleton_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/singleton"
	"github.com/resilvet/resilvet/runtime/task"
)

// In a synctest bubble time moves only when every goroutine is blocked, so
// these tests check exact times. Attempts run in a task group made inside
// the bubble, never task's default group, whose context may belong to no
// bubble.

func TestRetryDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks, h := newTasks()
		defer shutdown(t, tasks)
		refused := errors.New("connection refused")
		var calls atomic.Int32
		l := singleton.Lazy[int]{Tasks: tasks, RetryDelay: 5 * time.Second, New: func(context.Context) (int, error) {
			if calls.Add(1) < 3 {
				return 0, refused
			}
			return 7, nil
		}}
		start := time.Now()
		if _, err := l.Get(context.Background()); err != refused {
			t.Fatalf("first Get = %v, want %v as it is", err, refused)
		}

		// A hot path during the delay: no attempt, the last error at once.
		for i := 0; i < 1000; i++ {
			_, err := l.Get(context.Background())
			if !errors.Is(err, singleton.ErrRetryDelay) || !errors.Is(err, refused) {
				t.Fatalf("Get during the delay = %v, want ErrRetryDelay and %v", err, refused)
			}
			if i == 0 && err.Error() != "singleton: not retrying yet: connection refused" {
				t.Errorf("Get during the delay reads %q", err)
			}
		}
		time.Sleep(5*time.Second - time.Nanosecond)
		if _, err := l.Get(context.Background()); !errors.Is(err, singleton.ErrRetryDelay) {
			t.Fatalf("Get just before the delay ends = %v, want ErrRetryDelay", err)
		}
		if n := calls.Load(); n != 1 {
			t.Fatalf("%d attempts during the delay, want 1", n)
		}

		time.Sleep(time.Nanosecond)
		if _, err := l.Get(context.Background()); err != refused {
			t.Fatalf("Get once the delay is over = %v, want the second attempt's %v", err, refused)
		}
		time.Sleep(5 * time.Second)
		v, err := l.Get(context.Background())
		if err != nil || v != 7 {
			t.Fatalf("Get after the second delay = %v, %v; want 7", v, err)
		}
		if n, d := calls.Load(), time.Since(start); n != 3 || d != 10*time.Second {
			t.Errorf("%d attempts over %v, want 3 over 10s", n, d)
		}
		shutdown(t, tasks)
		if _, errs := h.got(); len(errs) != 2 {
			t.Errorf("task group was told of %d failures, want 2: %v", len(errs), errs)
		}
	})
}

func TestDefaultRetryDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks, _ := newTasks()
		defer shutdown(t, tasks)
		var calls atomic.Int32
		l := singleton.Lazy[int]{Tasks: tasks, New: func(context.Context) (int, error) {
			calls.Add(1)
			return 0, errors.New("down")
		}}
		_, _ = l.Get(context.Background())
		time.Sleep(time.Second - time.Nanosecond)
		_, _ = l.Get(context.Background())
		if n := calls.Load(); n != 1 {
			t.Fatalf("%d attempts within the first second, want 1", n)
		}
		time.Sleep(time.Nanosecond)
		_, _ = l.Get(context.Background())
		if n := calls.Load(); n != 2 {
			t.Errorf("%d attempts once the second is over, want 2", n)
		}
	})
}

// A caller that gives up on its own context leaves alone: the attempt goes
// on, on a context no caller cancels, and the others get its value.
func TestCallersGiveUpAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks, _ := newTasks()
		defer shutdown(t, tasks)
		var calls atomic.Int32
		var attemptCtx atomic.Value
		l := singleton.Lazy[*conn]{Tasks: tasks, New: func(ctx context.Context) (*conn, error) {
			calls.Add(1)
			attemptCtx.Store(ctx)
			select {
			case <-time.After(10 * time.Second): // a slow dependency
				return &conn{id: 1}, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}}

		start := time.Now()
		impatient, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := l.Get(impatient) // starts the attempt
		if err != context.DeadlineExceeded || time.Since(start) != time.Second {
			t.Fatalf("impatient Get = %v after %v, want DeadlineExceeded after 1s", err, time.Since(start))
		}
		if err := attemptCtx.Load().(context.Context).Err(); err != nil {
			t.Fatalf("the caller's deadline reached the attempt: %v", err)
		}

		var wg sync.WaitGroup
		results := make([]*conn, 3)
		for i := range results {
			i := i
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := l.Get(context.Background())
				if err != nil {
					t.Errorf("patient Get = %v", err)
				}
				results[i] = c
			}()
		}
		wg.Wait()
		if d := time.Since(start); d != 10*time.Second {
			t.Errorf("patient callers got the value after %v, want the attempt's 10s", d)
		}
		for _, c := range results {
			if c == nil || c != results[0] {
				t.Fatalf("patient callers got %v, want one value", results)
			}
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("New called %d times, want 1", n)
		}
	})
}

// Every caller provably waiting on the attempt before it ends: exactly one
// construction, and every caller gets its value.
func TestConcurrentCallersShareOneAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks, _ := newTasks()
		defer shutdown(t, tasks)
		var calls atomic.Int32
		release := make(chan struct{})
		l := singleton.Lazy[*conn]{Tasks: tasks, New: func(context.Context) (*conn, error) {
			calls.Add(1)
			<-release
			return &conn{id: 1}, nil
		}}
		const callers = 100
		var wg sync.WaitGroup
		results := make([]*conn, callers)
		for i := 0; i < callers; i++ {
			i := i
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := l.Get(context.Background())
				if err != nil {
					t.Errorf("Get = %v", err)
				}
				results[i] = c
			}()
		}
		synctest.Wait() // every caller is blocked on the one attempt
		if n := calls.Load(); n != 1 {
			t.Fatalf("%d attempts in flight, want 1", n)
		}
		close(release)
		wg.Wait()
		for i, c := range results {
			if c == nil || c != results[0] {
				t.Fatalf("caller %d got %v, caller 0 %v", i, c, results[0])
			}
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("New called %d times, want 1", n)
		}
	})
}

// Timeout bounds the attempt even though no caller has a deadline; the
// timeout is a failure like any other.
func TestAttemptTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks, _ := newTasks()
		defer shutdown(t, tasks)
		l := singleton.Lazy[int]{Tasks: tasks, Timeout: 3 * time.Second, New: func(ctx context.Context) (int, error) {
			<-ctx.Done() // a dependency that never answers
			return 0, ctx.Err()
		}}
		start := time.Now()
		_, err := l.Get(context.Background())
		if err != context.DeadlineExceeded || time.Since(start) != 3*time.Second {
			t.Fatalf("Get = %v after %v, want DeadlineExceeded after 3s", err, time.Since(start))
		}
		if _, err := l.Get(context.Background()); !errors.Is(err, singleton.ErrRetryDelay) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Get after the timeout = %v, want ErrRetryDelay and DeadlineExceeded", err)
		}
	})
}

// Reset during an attempt cancels it, saying why, and sends its waiters on
// to a new attempt at once; a value the old attempt makes anyway is cleaned
// up and given to no one.
func TestResetDuringAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks, h := newTasks()
		defer shutdown(t, tasks)
		var calls atomic.Int32
		var causes []error // written by the first attempt, read after shutdown
		stale := &conn{id: 1}
		var cleaned atomic.Pointer[conn]
		l := singleton.Lazy[*conn]{
			Tasks: tasks,
			New: func(ctx context.Context) (*conn, error) {
				if calls.Add(1) == 1 {
					<-ctx.Done()
					causes = append(causes, context.Cause(ctx))
					time.Sleep(time.Second) // still running when the next attempt starts
					return stale, nil       // ignores the cancellation
				}
				select {
				case <-time.After(2 * time.Second):
					return &conn{id: 2}, nil
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			},
			Cleanup: func(c *conn) { cleaned.Store(c) },
		}

		start := time.Now()
		got := make(chan *conn)
		go func() {
			c, err := l.Get(context.Background())
			if err != nil {
				t.Errorf("Get = %v", err)
			}
			got <- c
		}()
		time.Sleep(5 * time.Second)
		if old, ok := l.Reset(); ok || old != nil {
			t.Errorf("Reset during the first attempt = %v, %v; want no value", old, ok)
		}
		c := <-got
		if c == nil || c.id != 2 || time.Since(start) != 7*time.Second {
			t.Fatalf("Get across Reset = %v after %v, want the second attempt's value after 5s+2s", c, time.Since(start))
		}
		if c2, err := l.Get(context.Background()); err != nil || c2 != c {
			t.Errorf("Get after = %v, %v; want the second attempt's value, cached", c2, err)
		}
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if cleaned.Load() != stale {
			t.Errorf("Cleanup got %v, want the obsolete attempt's value", cleaned.Load())
		}
		if len(causes) != 1 || causes[0] == nil || causes[0].Error() != "singleton: Reset during the attempt" {
			t.Errorf("the first attempt's context ended with cause %v, want Reset's", causes)
		}
		if n := calls.Load(); n != 2 {
			t.Errorf("New called %d times, want 2", n)
		}
		if _, errs := h.got(); len(errs) != 0 {
			t.Errorf("task group was told of failures: %v", errs)
		}
	})
}

// Shutdown of the task group cancels an attempt in flight and waits for it.
func TestShutdownCancelsAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks, _ := newTasks()
		var cause atomic.Value
		l := singleton.Lazy[int]{Tasks: tasks, New: func(ctx context.Context) (int, error) {
			<-ctx.Done()
			cause.Store(context.Cause(ctx))
			time.Sleep(time.Second) // winding down
			return 0, ctx.Err()
		}}
		errc := make(chan error)
		go func() {
			_, err := l.Get(context.Background())
			errc <- err
		}()
		synctest.Wait()
		start := time.Now()
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("Shutdown returned after %v, want the attempt's 1s", d)
		}
		if err := <-errc; err != context.Canceled {
			t.Errorf("Get = %v, want the attempt's context.Canceled", err)
		}
		if c, _ := cause.Load().(error); c != task.ErrShutdown {
			t.Errorf("attempt's cause = %v, want task.ErrShutdown", c)
		}
	})
}
