package runtimecmp_test

// These tests pin down the gaps that justify hand-writing runtime/task and
// runtime/shield: each shows the library's behaviour next to the runtime's
// on the same scenario. If a library closes a gap, its test fails and the
// package docs' justification must be revisited.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/shield"
	"github.com/resilvet/resilvet/runtime/task"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"
)

// TestGapPanicInGroup: a panic in an errgroup goroutine kills the process
// with nothing but the trace; a task.Group crashes too, by default, but logs
// the task's name, the panic and its stack through slog first; and a
// task.Group with RecoverPanics turns the panic into a *task.PanicError,
// reported to OnError as it happens and named by Shutdown, while the process
// goes on. errgroup has no such option: its Go method explains why it will
// not carry a panic to Wait.
func TestGapPanicInGroup(t *testing.T) {
	switch os.Getenv("RUNTIMECMP_CHILD") {
	case "errgroup":
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
		var g errgroup.Group
		g.Go(func() error { panic("boom in errgroup") })
		_ = g.Wait()
		// The panicking goroutine's deferred Done runs as it unwinds, so
		// Wait can return before the crash: give the crash time to win
		// over the test's own exit.
		time.Sleep(10 * time.Second)
		return // not reached if the panic crashed the process
	case "task":
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
		var g task.Group
		g.Go("boom", func(context.Context) error { panic("boom in task") })
		_ = g.Shutdown(context.Background())
		// As for errgroup: the crash must win over the test's exit.
		time.Sleep(10 * time.Second)
		return // not reached if the panic crashed the process
	}
	child := func(name string) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGapPanicInGroup$")
		cmd.Env = append(os.Environ(), "RUNTIMECMP_CHILD="+name)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Errorf("%s: want the child process to die of the panic; err=%v output:\n%s", name, err, out)
		}
		return string(out)
	}
	if out := child("errgroup"); !strings.Contains(out, "panic: boom in errgroup") || strings.Contains(out, "level=") {
		t.Errorf("errgroup: want a bare crash, nothing logged; output:\n%s", out)
	}
	if out := child("task"); !strings.Contains(out, `level=ERROR msg="task panicked" task=boom`) ||
		!strings.Contains(out, "panic: boom in task [recovered, repanicked]") {
		t.Errorf("task.Group: want the panic logged with the task's name, then the crash; output:\n%s", out)
	}

	var got error
	g := task.Group{
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnError:       func(_ string, err error) { got = err },
		RecoverPanics: true,
	}
	g.Go("boom", func(context.Context) error { panic("boom in task") })
	err := g.Shutdown(context.Background())
	var pe *task.PanicError
	if !errors.As(got, &pe) || pe.Value != "boom in task" {
		t.Errorf("task.Group with RecoverPanics: OnError got %v, want a *task.PanicError", got)
	}
	if want := `task: shutdown: 1 task panicked: "boom"`; err == nil || err.Error() != want {
		t.Errorf("task.Group with RecoverPanics: Shutdown = %v, want %q", err, want)
	}
}

// flightScenario runs caller A, whose request ends after 1s, and caller B,
// which joins at 500ms with no deadline, on work that takes 3s and uses the
// context it is given. It returns what B got.
func flightScenario(t *testing.T, do func(ctx context.Context, work func(context.Context) (string, error)) (string, error)) (string, error) {
	work := func(ctx context.Context) (string, error) {
		select {
		case <-time.After(3 * time.Second):
			return "value", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	var v string
	var err error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, _ = do(ctx, work)
	}()
	go func() {
		defer wg.Done()
		time.Sleep(500 * time.Millisecond)
		v, err = do(context.Background(), work)
	}()
	wg.Wait()
	return v, err
}

// TestGapImpatientCaller: with singleflight the first caller's deadline
// reaches the shared work and the second caller gets its error; with
// shield.Group the second caller gets the value.
func TestGapImpatientCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sf singleflight.Group
		v, err := flightScenario(t, func(ctx context.Context, work func(context.Context) (string, error)) (string, error) {
			// The usual shape: fn closes over the caller's ctx.
			r, err, _ := sf.Do("k", func() (any, error) { return work(ctx) })
			s, _ := r.(string)
			return s, err
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("singleflight: second caller got %q, %v; want the first caller's DeadlineExceeded", v, err)
		}

		tasks := new(task.Group)
		g := shield.Group[string, string]{Tasks: tasks}
		v, err = flightScenario(t, func(ctx context.Context, work func(context.Context) (string, error)) (string, error) {
			return g.Do(ctx, "k", work)
		})
		if v != "value" || err != nil {
			t.Errorf("shield: second caller got %q, %v; want the value", v, err)
		}
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
