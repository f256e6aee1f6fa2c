//go:build go1.25

//go:debug asynctimerchan=0

package task_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

// In a synctest bubble time moves only when every goroutine is blocked, so
// these tests check exact durations.

func TestShutdownGivesUpAtDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _, _ := newGroup()
		g.Go("cooperative", func(ctx context.Context) error {
			<-ctx.Done()
			return nil
		})
		g.Go("stubborn", func(context.Context) error {
			time.Sleep(time.Hour) // ignores cancellation
			return nil
		})
		time.Sleep(10 * time.Second) // both tasks have run for 10s

		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		err := g.Shutdown(ctx)
		if waited := time.Since(start); waited != 5*time.Second {
			t.Errorf("Shutdown returned after %v, want the 5s deadline", waited)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown = %v, want an error wrapping DeadlineExceeded", err)
		}
		want := `task: shutdown: context deadline exceeded: 1 task still running: "stubborn" (running 15s)`
		if err.Error() != want {
			t.Errorf("Shutdown error\n got %q\nwant %q", err, want)
		}

		// The straggler is still tracked: a second Shutdown waits for it.
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatalf("second Shutdown = %v", err)
		}
		if total := time.Since(start); total != time.Hour-10*time.Second {
			t.Errorf("stubborn task ended after %v of shutdown, want 59m50s", total)
		}
	})
}

func TestShutdownReturnsWhenCooperativeTasksEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _, h := newGroup()
		g.Go("flush", func(ctx context.Context) error {
			<-ctx.Done()
			time.Sleep(2 * time.Second) // cleanup that takes a while
			return nil
		})
		g.Go("idle", func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})
		synctest.Wait()

		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		if err := g.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown = %v, want nil", err)
		}
		if waited := time.Since(start); waited != 2*time.Second {
			t.Errorf("Shutdown returned after %v, want 2s (the slowest cleanup)", waited)
		}
		if names, _ := h.got(); len(names) != 0 {
			t.Errorf("OnError called for orderly stops: %v", names)
		}
	})
}

func TestDurationIsLogged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, rec, _ := newGroup()
		g.Go("slow.fail", func(context.Context) error {
			time.Sleep(1500 * time.Millisecond)
			return errors.New("gave up")
		})
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		logs := rec.all()
		if len(logs) != 1 {
			t.Fatalf("got %d records, want 1", len(logs))
		}
		if d := logs[0].attrs["duration"].Duration(); d != 1500*time.Millisecond {
			t.Errorf("logged duration %v, want 1.5s", d)
		}
	})
}

func TestDefaultGroupShutdownDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		task.ReopenDefault() // the default group's context is made in this bubble
		defer task.ReopenDefault()
		reqCtx, endRequest := context.WithCancel(context.Background())
		task.Go(reqCtx, "audit.write", func(ctx context.Context) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Minute):
				return nil
			}
		})
		endRequest() // the request is over; the task goes on
		time.Sleep(30 * time.Second)

		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		if err := task.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown = %v", err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("Shutdown waited %v for a task that stops on cancellation", waited)
		}
	})
}

func TestStragglerNamesGrouped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _, _ := newGroup()
		block := make(chan struct{})
		for i := 0; i < 3; i++ {
			g.Go("fetch", func(context.Context) error { <-block; return nil })
			time.Sleep(time.Second)
		}
		g.Go("index", func(context.Context) error { <-block; return nil })
		time.Sleep(time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err := g.Shutdown(ctx)
		want := `4 tasks still running: "fetch" ×3 (longest running 5s), "index" (running 2s)`
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("Shutdown = %v, want suffix %q", err, want)
		}
		close(block)
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestShutdownFromOwnTask: a task that shuts its own group down, with a ctx
// derived from its task context, is not waited for, and the cancellation its
// Shutdown causes does not end that Shutdown's wait. Before, the Shutdown
// returned at once, naming every task (the caller included) as a straggler.
func TestShutdownFromOwnTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _, _ := newGroup()
		g.Go("flush", func(ctx context.Context) error {
			<-ctx.Done()
			time.Sleep(2 * time.Second) // cleanup that takes a while
			return nil
		})
		result := make(chan error, 1)
		start := time.Now()
		g.Go("admin.quit", func(ctx context.Context) error {
			time.Sleep(time.Second) // the quit request arrives
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			result <- g.Shutdown(sctx)
			return nil
		})
		if err := <-result; err != nil {
			t.Errorf("Shutdown from a task = %v, want nil", err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("Shutdown from a task returned after %v, want 3s (when flush ended)", d)
		}
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestShutdownFromOwnTaskDeadline: the deadline of such a Shutdown's ctx
// still bounds its wait, and only the other task is named.
func TestShutdownFromOwnTaskDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _, _ := newGroup()
		release := make(chan struct{})
		g.Go("stubborn", func(context.Context) error { <-release; return nil })
		result := make(chan error, 1)
		start := time.Now()
		g.Go("admin.quit", func(ctx context.Context) error {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			result <- g.Shutdown(sctx)
			return nil
		})
		err := <-result
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("Shutdown from a task returned after %v, want its 5s deadline", d)
		}
		want := `task: shutdown: context deadline exceeded: 1 task still running: "stubborn" (running 5s)`
		if err == nil || err.Error() != want || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown from a task = %v, want %q", err, want)
		}
		close(release)
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestShutdownFromTwoTasks: two tasks that each shut the group down with
// their own context do not wait for each other, and a Shutdown from main
// does not wait for either while they are blocked so.
func TestShutdownFromTwoTasks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _, _ := newGroup()
		results := make(chan error, 2)
		var proceed sync.WaitGroup
		proceed.Add(1)
		for _, name := range []string{"quit.a", "quit.b"} {
			g.Go(name, func(ctx context.Context) error {
				results <- g.Shutdown(ctx)
				proceed.Wait() // what the task does after its Shutdown
				return nil
			})
		}
		for i := 0; i < 2; i++ {
			if err := <-results; err != nil {
				t.Errorf("Shutdown from a task = %v, want nil", err)
			}
		}
		proceed.Done()
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestShutdownFromTaskWithUnrelatedCtx pins the documented limit: with a ctx
// that does not come from the task's context, Shutdown cannot tell it is
// called from a task, and waits for that task until ctx ends.
func TestShutdownFromTaskWithUnrelatedCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _, _ := newGroup()
		result := make(chan error, 1)
		start := time.Now()
		g.Go("signals", func(context.Context) error {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			result <- g.Shutdown(sctx)
			return nil
		})
		err := <-result
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("Shutdown returned after %v, want its 5s deadline", d)
		}
		if want := `1 task still running: "signals" (running 5s)`; err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("Shutdown = %v, want suffix %q", err, want)
		}
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
