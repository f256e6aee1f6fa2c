package task_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
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
	for range 3 {
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
	for range 3 {
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

func TestPanicBecomesError(t *testing.T) {
	g, rec, h := newGroup()
	g.Go("panics", func(context.Context) error { panicHere(); return nil })
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, errs := h.got()
	if len(errs) != 1 {
		t.Fatalf("OnError called %d times, want 1", len(errs))
	}
	var pe *task.PanicError
	if !errors.As(errs[0], &pe) {
		t.Fatalf("error %T %v is not a *PanicError", errs[0], errs[0])
	}
	if pe.Value != "kaboom" {
		t.Errorf("PanicError.Value = %v, want kaboom", pe.Value)
	}
	if got := pe.Error(); got != "task: panic: kaboom" {
		t.Errorf("Error() = %q", got)
	}
	if !strings.Contains(string(pe.Stack), "panicHere") {
		t.Errorf("stack does not show the panicking function:\n%s", pe.Stack)
	}
	logs := rec.all()
	if len(logs) != 1 || logs[0].msg != "task panicked" || logs[0].level != slog.LevelError {
		t.Fatalf("logs = %v", logs)
	}
	if !strings.Contains(logs[0].attrs["stack"].String(), "panicHere") {
		t.Error("logged stack does not show the panicking function")
	}
}

//go:noinline
func panicHere() { panic("kaboom") }

func TestPanicWithErrorUnwraps(t *testing.T) {
	g, _, h := newGroup()
	g.Go("eof", func(context.Context) error { panic(io.EOF) })
	g.Go("nil", func(context.Context) error { panic(nil) }) //nolint:govet // nilness: panic(nil) is the case under test
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, errs := h.got()
	if len(errs) != 2 {
		t.Fatalf("OnError called %d times, want 2", len(errs))
	}
	var sawEOF, sawNil bool
	for _, err := range errs {
		var pnil *runtime.PanicNilError
		sawEOF = sawEOF || errors.Is(err, io.EOF)
		sawNil = sawNil || errors.As(err, &pnil)
	}
	if !sawEOF || !sawNil {
		t.Errorf("errors %v: want one wrapping io.EOF and one *runtime.PanicNilError", errs)
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

func TestGoAfterShutdownRunsNothing(t *testing.T) {
	g, rec, h := newGroup()
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ran := false
	g.Go("late", func(context.Context) error { ran = true; return nil })
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Error("a task started after Shutdown ran")
	}
	names, errs := h.got()
	if len(names) != 1 || names[0] != "late" || errs[0] != task.ErrShutdown {
		t.Errorf("OnError got %v %v, want [late] [ErrShutdown]", names, errs)
	}
	if logs := rec.all(); len(logs) != 1 || logs[0].level != slog.LevelError || !strings.Contains(logs[0].msg, "after Shutdown") {
		t.Errorf("logs = %v", logs)
	}
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
	for range 3 {
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

// TestGoRacingShutdown checks that every Go either runs its task, which
// Shutdown then waits for, or reports ErrShutdown: no task is lost or left
// running.
func TestGoRacingShutdown(t *testing.T) {
	var reported, ran, running atomic.Int32
	g := &task.Group{
		Logger:  slog.New(&recorder{}),
		OnError: func(string, error) { reported.Add(1) },
	}
	const n = 200
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n / 4 {
				g.Go("racer", func(context.Context) error {
					running.Add(1)
					defer running.Add(-1)
					ran.Add(1)
					runtime.Gosched()
					return nil
				})
			}
		}()
	}
	runtime.Gosched()
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := running.Load(); r != 0 {
		t.Errorf("%d tasks still running after Shutdown returned nil", r)
	}
	wg.Wait()
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ran.Load() + reported.Load(); got != n {
		t.Errorf("ran %d + reported %d = %d, want %d", ran.Load(), reported.Load(), got, n)
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

func TestDefaultGroupClosedAfterShutdown(t *testing.T) {
	task.ReopenDefault()
	t.Cleanup(task.ReopenDefault)
	old := slog.Default()
	rec := &recorder{}
	slog.SetDefault(slog.New(rec))
	t.Cleanup(func() { slog.SetDefault(old) })

	if err := task.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ran := false
	task.Go(context.Background(), "late", func(context.Context) error { ran = true; return nil })
	if err := task.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Error("default group ran a task after Shutdown")
	}
	logs := rec.all()
	if len(logs) != 1 || logs[0].attrs["task"].String() != "late" || logs[0].attrs["error"].Any() != task.ErrShutdown {
		t.Errorf("logs = %v", logs)
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
