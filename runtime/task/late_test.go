package task_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

// TestGoAfterShutdownRunsUntracked: a late Go is reported (a warning, and
// OnError before fn starts), and fn still runs, untracked, on a context that
// is already cancelled with cause ErrShutdown.
func TestGoAfterShutdownRunsUntracked(t *testing.T) {
	g, rec, h := newGroup()
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctxs := make(chan context.Context)
	release := make(chan struct{})
	var hookedFirst bool
	g.Go("late", func(ctx context.Context) error {
		names, _ := h.got()
		hookedFirst = len(names) == 1
		ctxs <- ctx
		<-release
		return nil
	})
	ctx := receive(t, ctxs)
	if ctx.Err() != context.Canceled || context.Cause(ctx) != task.ErrShutdown {
		t.Errorf("late task's ctx: Err = %v, Cause = %v; want Canceled, ErrShutdown", ctx.Err(), context.Cause(ctx))
	}
	// Untracked: a Shutdown does not wait for it, though it is running.
	if err := g.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown with a late task running = %v, want nil", err)
	}
	close(release)
	if !hookedFirst {
		t.Error("OnError had not been called when fn started")
	}
	names, errs := h.got()
	if len(names) != 1 || names[0] != "late" || errs[0] != task.ErrShutdown {
		t.Errorf("OnError got %v %v, want [late] [ErrShutdown]", names, errs)
	}
	logs := rec.all()
	if len(logs) != 1 || logs[0].level != slog.LevelWarn || !strings.Contains(logs[0].msg, "after Shutdown") ||
		logs[0].attrs["task"].String() != "late" || logs[0].attrs["error"].Any() != task.ErrShutdown {
		t.Errorf("logs = %v, want one warning naming the task", logs)
	}
}

// TestGoAfterShutdownOfUnusedGroup: a group that never ran a task still gives
// a late task a cancelled context.
func TestGoAfterShutdownOfUnusedGroup(t *testing.T) {
	g, _, _ := newGroup()
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	g.Go("late", func(ctx context.Context) error { done <- context.Cause(ctx); return nil })
	if cause := receive(t, done); cause != task.ErrShutdown {
		t.Errorf("late task's cause = %v, want ErrShutdown", cause)
	}
}

// TestLateConnectionIsServed is the reviewer's reproduction: an accept loop
// moved to task.Go that accepts one more connection after Shutdown has run
// must still serve it. Before, the task was dropped and the client never got
// its reply.
func TestLateConnectionIsServed(t *testing.T) {
	task.ReopenDefault()
	t.Cleanup(task.ReopenDefault)
	old := slog.Default()
	slog.SetDefault(slog.New(&recorder{}))
	t.Cleanup(func() { slog.SetDefault(old) })

	if err := task.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	server, client := net.Pipe()
	defer client.Close()
	// A guard against the old behaviour, which left the client blocked.
	if err := client.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var served sync.WaitGroup
	served.Add(1)
	// What the accept loop does with the connection it has just accepted.
	task.Go(context.Background(), "rpc.conn", func(context.Context) error {
		defer served.Done()
		defer server.Close()
		line, err := bufio.NewReader(server).ReadString('\n')
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(server, "reply to %s", line)
		return err
	})
	if _, err := fmt.Fprintln(client, "Arith.Multiply"); err != nil {
		t.Fatal(err)
	}
	reply, err := bufio.NewReader(client).ReadString('\n')
	if err != nil || reply != "reply to Arith.Multiply\n" {
		t.Fatalf("client got %q, %v; want its reply", reply, err)
	}
	served.Wait()
}

func TestDefaultGroupLateGoKeepsValues(t *testing.T) {
	task.ReopenDefault()
	t.Cleanup(task.ReopenDefault)
	old := slog.Default()
	rec := &recorder{}
	slog.SetDefault(slog.New(rec))
	t.Cleanup(func() { slog.SetDefault(old) })

	if err := task.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	type key struct{}
	parent := context.WithValue(context.Background(), key{}, "request-9")
	got := make(chan context.Context)
	task.Go(parent, "late", func(ctx context.Context) error { got <- ctx; return nil })
	ctx := receive(t, got)
	if v := ctx.Value(key{}); v != "request-9" {
		t.Errorf("late task's value = %v, want the caller's request-9", v)
	}
	if context.Cause(ctx) != task.ErrShutdown {
		t.Errorf("late task's cause = %v, want ErrShutdown", context.Cause(ctx))
	}
	logs := rec.all()
	if len(logs) != 1 || logs[0].level != slog.LevelWarn || logs[0].attrs["task"].String() != "late" || logs[0].attrs["error"].Any() != task.ErrShutdown {
		t.Errorf("logs = %v", logs)
	}
}

// TestNilCtx: the package-level Go and TryGo take a nil ctx as
// context.Background(). Before, TryGo reported true and fn never ran (the
// nil ctx's Value panicked inside the task).
func TestNilCtx(t *testing.T) {
	task.ReopenDefault()
	t.Cleanup(task.ReopenDefault)
	type key struct{}
	var ran atomic.Int32
	fn := func(ctx context.Context) error {
		if v := ctx.Value(key{}); v != nil {
			t.Errorf("task ctx with a nil parent has value %v", v)
		}
		ran.Add(1)
		<-ctx.Done()
		return ctx.Err()
	}
	var nilCtx context.Context // what a fixed `go f()` may pass at run time
	task.Go(nilCtx, "go.nil", fn)
	if !task.TryGo(nilCtx, "trygo.nil", fn) {
		t.Fatal("TryGo(nil ctx) = false on an open group")
	}
	if err := task.Shutdown(context.Background()); err != nil { // waits for both
		t.Fatal(err)
	}
	if n := ran.Load(); n != 2 {
		t.Errorf("%d of 2 tasks started with a nil ctx ran", n)
	}
	if task.TryGo(nilCtx, "trygo.late", fn) {
		t.Error("TryGo(nil ctx) after Shutdown = true")
	}
}

// TestGoRacingShutdown checks that every Go runs its fn, and that Shutdown
// returning nil means no task it tracked is still running: a Go that lost the
// race is the one reported (OnError, before its fn starts), and only those
// may still run.
func TestGoRacingShutdown(t *testing.T) {
	var mu sync.Mutex
	late := map[string]bool{}
	var ran, tracked atomic.Int32
	g := &task.Group{
		Logger: slog.New(&recorder{}),
		OnError: func(name string, _ error) {
			mu.Lock()
			late[name] = true
			mu.Unlock()
		},
	}
	const n = 200
	var goes, fns sync.WaitGroup
	fns.Add(n)
	for w := 0; w < 4; w++ {
		w := w // per-iteration, for go1.21
		goes.Add(1)
		go func() {
			defer goes.Done()
			for i := 0; i < n/4; i++ {
				name := fmt.Sprintf("racer-%d-%d", w, i)
				g.Go(name, func(context.Context) error {
					defer fns.Done()
					mu.Lock()
					isLate := late[name] // set before fn started, if at all
					mu.Unlock()
					if !isLate {
						tracked.Add(1)
						defer tracked.Add(-1)
					}
					ran.Add(1)
					runtime.Gosched()
					return nil
				})
			}
		}()
	}
	for ran.Load() < n/10 { // shut down mid-stream
		runtime.Gosched()
	}
	if err := g.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := tracked.Load(); r != 0 {
		t.Errorf("%d tracked tasks still running after Shutdown returned nil", r)
	}
	goes.Wait()
	fns.Wait()
	if got := ran.Load(); got != n {
		t.Errorf("ran %d of %d tasks", got, n)
	}
	t.Logf("%d of %d Go calls came after Shutdown", len(late), n)
}

// receive returns the next value from ch. The timeout guards against a task
// that never runs (as a late one did before); it measures nothing.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("the task never ran")
		panic("unreachable")
	}
}
