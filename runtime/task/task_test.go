package task_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

func newGroup() (*task.Group, *recorder, *hook) {
	rec, h := &recorder{}, &hook{}
	return &task.Group{Logger: slog.New(rec), OnError: h.onError}, rec, h
}

func TestShutdownCancelsAndWaits(t *testing.T) {
	g, rec, h := newGroup()
	var stopped atomic.Int32
	started := make(chan struct{})
	for i := 0; i < 3; i++ {
		g.Go("worker", func(ctx context.Context) error {
			started <- struct{}{}
			<-ctx.Done()
			if cause := context.Cause(ctx); cause != task.ErrShutdown {
				t.Errorf("context.Cause = %v, want ErrShutdown", cause)
			}
			stopped.Add(1)
			return ctx.Err() // an orderly stop: not a failure
		})
	}
	for i := 0; i < 3; i++ {
		<-started
	}
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown = %v, want nil", err)
	}
	if n := stopped.Load(); n != 3 {
		t.Fatalf("Shutdown returned with %d of 3 tasks stopped", n)
	}
	if names, _ := h.got(); len(names) != 0 {
		t.Errorf("OnError called for an orderly stop: %v", names)
	}
	for _, l := range rec.all() {
		if l.level != slog.LevelDebug || l.msg != "task stopped" {
			t.Errorf("orderly stop logged as %v %q, want DEBUG \"task stopped\"", l.level, l.msg)
		}
	}
}

func TestZeroGroup(t *testing.T) {
	var g task.Group
	done := make(chan struct{})
	g.Go("zero", func(context.Context) error {
		close(done)
		return nil
	})
	<-done
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	var unused task.Group // never started a task
	if err := unused.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestErrorIsLoggedAndHooked(t *testing.T) {
	g, rec, h := newGroup()
	boom := errors.New("boom")
	g.Go("fails", func(context.Context) error { return boom })
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Shutdown returning means the failure has been reported.
	names, errs := h.got()
	if len(names) != 1 || names[0] != "fails" || errs[0] != boom {
		t.Fatalf("OnError got %v %v, want [fails] [boom]", names, errs)
	}
	logs := rec.all()
	if len(logs) != 1 {
		t.Fatalf("got %d log records, want 1", len(logs))
	}
	l := logs[0]
	if l.level != slog.LevelError || l.msg != "task failed" || l.attrs["task"].String() != "fails" || l.attrs["error"].Any() != boom {
		t.Errorf("logged %v %q %v", l.level, l.msg, l.attrs)
	}
	if _, ok := l.attrs["duration"]; !ok {
		t.Error("log record has no duration")
	}
}

func TestGoexitIsReported(t *testing.T) {
	g, _, h := newGroup()
	g.Go("exits", func(context.Context) error { runtime.Goexit(); return nil })
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, errs := h.got(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "Goexit") {
		t.Errorf("OnError got %v, want one Goexit error", errs)
	}
}

func TestNilFnPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "task: nil fn" {
			t.Errorf("recovered %v, want \"task: nil fn\"", r)
		}
	}()
	var g task.Group
	g.Go("nil", nil)
	t.Error("Go(nil) did not panic")
}

func TestStragglersAreNamed(t *testing.T) {
	g, _, _ := newGroup()
	release := make(chan struct{})
	started := make(chan struct{})
	stubborn := func(context.Context) error {
		started <- struct{}{}
		<-release // ignores cancellation
		return nil
	}
	g.Go("stubborn", stubborn)
	g.Go("twin", stubborn)
	g.Go("twin", stubborn)
	for i := 0; i < 3; i++ {
		<-started
	}
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	err := g.Shutdown(expired)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want an error wrapping context.Canceled", err)
	}
	msg := err.Error()
	for _, want := range []string{`"stubborn" (running `, `"twin" ×2 (longest running `, "3 tasks still running"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Shutdown error %q does not contain %q", msg, want)
		}
	}
	close(release)
	// A second Shutdown waits again, for the stragglers.
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown = %v, want nil", err)
	}
}

func TestConcurrentShutdowns(t *testing.T) {
	g, _, _ := newGroup()
	release := make(chan struct{})
	g.Go("slow", func(context.Context) error { <-release; return nil })
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		i := i // per-iteration, for go1.21
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = g.Shutdown(context.Background())
		}()
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Shutdown %d = %v", i, err)
		}
	}
}

func TestPprofLabel(t *testing.T) {
	var g task.Group
	inside := make(chan struct{})
	release := make(chan struct{})
	g.Go("labelled.task", func(ctx context.Context) error {
		if v, _ := pprof.Label(ctx, "task"); v != "labelled.task" {
			t.Errorf("pprof label task = %q", v)
		}
		close(inside)
		<-release
		return nil
	})
	<-inside
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"task":"labelled.task"`) {
		t.Errorf("goroutine profile does not show the task label:\n%s", buf.String())
	}
}

func TestDefaultGroupKeepsValuesNotCancellation(t *testing.T) {
	task.ReopenDefault()
	t.Cleanup(task.ReopenDefault)
	type key struct{}
	parent, cancelParent := context.WithTimeout(context.WithValue(context.Background(), key{}, "request-42"), time.Hour)
	started := make(chan context.Context)
	task.Go(parent, "detached", func(ctx context.Context) error {
		started <- ctx
		<-ctx.Done()
		return ctx.Err()
	})
	ctx := <-started
	cancelParent() // the request ends; the task must go on
	if ctx.Err() != nil {
		t.Fatal("task context cancelled with its parent")
	}
	if v := ctx.Value(key{}); v != "request-42" {
		t.Errorf("task context value = %v, want request-42", v)
	}
	if d, ok := ctx.Deadline(); ok {
		t.Errorf("task context has the request's deadline %v", d)
	}
	derived, cancelDerived := context.WithCancel(ctx)
	defer cancelDerived()
	if err := task.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []context.Context{ctx, derived} {
		if c.Err() != context.Canceled || context.Cause(c) != task.ErrShutdown {
			t.Errorf("after Shutdown: Err = %v, Cause = %v", c.Err(), context.Cause(c))
		}
	}
	if v := derived.Value(key{}); v != "request-42" {
		t.Errorf("derived context value = %v, want request-42", v)
	}
}

func TestTryGo(t *testing.T) {
	g, rec, h := newGroup()
	ran := make(chan struct{})
	if !g.TryGo("first", func(context.Context) error { close(ran); return nil }) {
		t.Fatal("TryGo on an open group returned false")
	}
	<-ran
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g.TryGo("late", func(context.Context) error { t.Error("late task ran"); return nil }) {
		t.Error("TryGo after Shutdown returned true")
	}
	if names, _ := h.got(); len(names) != 0 {
		t.Errorf("TryGo after Shutdown called OnError: %v", names)
	}
	if logs := rec.all(); len(logs) != 0 {
		t.Errorf("TryGo after Shutdown logged: %v", logs)
	}
}

func TestDefaultTryGo(t *testing.T) {
	task.ReopenDefault()
	t.Cleanup(task.ReopenDefault)
	ran := make(chan struct{})
	if !task.TryGo(context.Background(), "first", func(context.Context) error { close(ran); return nil }) {
		t.Fatal("TryGo on the open default group returned false")
	}
	<-ran
	if err := task.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if task.TryGo(context.Background(), "late", func(context.Context) error { return nil }) {
		t.Error("TryGo after Shutdown returned true")
	}
}

// TestOrderlyStopIsExact: after Shutdown, a task has stopped in good order
// only if it returned exactly its context's Err() or its context's cause
// (wrapped or not). Before, any error wrapping context.Canceled counted, such
// as a cancelled request of some other context's.
func TestOrderlyStopIsExact(t *testing.T) {
	unrelated, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ret     func(ctx context.Context) error
		orderly bool
	}{
		{"ctx.Err()", func(ctx context.Context) error { return ctx.Err() }, true},
		{"Cause", func(ctx context.Context) error { return context.Cause(ctx) }, true},
		{"wrapped Cause", func(ctx context.Context) error { return fmt.Errorf("poll: %w", context.Cause(ctx)) }, true},
		{"wrapped ctx.Err()", func(ctx context.Context) error { return fmt.Errorf("poll: %w", ctx.Err()) }, false},
		{"wrapped unrelated Canceled", func(context.Context) error {
			return &url.Error{Op: "Get", URL: "http://backend", Err: unrelated.Err()}
		}, false},
		{"unrelated DeadlineExceeded", func(context.Context) error { return context.DeadlineExceeded }, false},
		// The documented limit: the same value as the task's own ctx.Err().
		{"bare unrelated Canceled", func(context.Context) error { return unrelated.Err() }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, rec, h := newGroup()
			started := make(chan struct{})
			g.Go("poller", func(ctx context.Context) error {
				close(started)
				<-ctx.Done()
				return tt.ret(ctx)
			})
			<-started
			if err := g.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			names, _ := h.got()
			logs := rec.all()
			if len(logs) != 1 {
				t.Fatalf("logs = %v, want one record", logs)
			}
			if tt.orderly {
				if len(names) != 0 || logs[0].level != slog.LevelDebug || logs[0].msg != "task stopped" {
					t.Errorf("want an orderly stop; OnError got %v, logged %v %q", names, logs[0].level, logs[0].msg)
				}
			} else if len(names) != 1 || logs[0].level != slog.LevelError || logs[0].msg != "task failed" {
				t.Errorf("want a failure; OnError got %v, logged %v %q", names, logs[0].level, logs[0].msg)
			}
		})
	}
}

// TestCancelledBeforeShutdownIsFailure: returning context.Canceled while the
// task's own context is live is a failure, whatever happens afterwards.
func TestCancelledBeforeShutdownIsFailure(t *testing.T) {
	g, _, _ := newGroup()
	reported := make(chan error, 1)
	g.OnError = func(_ string, err error) { reported <- err }
	g.Go("early", func(context.Context) error { return context.Canceled })
	if err := <-reported; err != context.Canceled {
		t.Errorf("OnError got %v, want the early Canceled", err)
	}
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}
