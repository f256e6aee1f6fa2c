package shield_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/resilvet/resilvet/runtime/shield"
	"github.com/resilvet/resilvet/runtime/task"
)

// quietTasks is a task group whose logs are discarded.
func quietTasks() *task.Group {
	return &task.Group{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestSleepAndWaitOnDoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := shield.Sleep(ctx, 0); err != context.Canceled {
		t.Errorf("Sleep(done, 0) = %v, want context.Canceled", err)
	}
	if err := shield.Sleep(ctx, 1<<62); err != context.Canceled {
		t.Errorf("Sleep(done, long) = %v, want context.Canceled", err)
	}
	if err := shield.Sleep(context.Background(), -1); err != nil {
		t.Errorf("Sleep(live, -1) = %v, want nil", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	if err := shield.Wait(ctx, &wg); err != context.Canceled {
		t.Errorf("Wait(done) = %v, want context.Canceled", err)
	}
	wg.Done()
}

func TestWait(t *testing.T) {
	var wg sync.WaitGroup
	if err := shield.Wait(context.Background(), &wg); err != nil {
		t.Errorf("Wait on an idle WaitGroup = %v", err)
	}
	release := make(chan struct{})
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-release
		}()
	}
	close(release)
	if err := shield.Wait(context.Background(), &wg); err != nil {
		t.Errorf("Wait = %v, want nil", err)
	}
}

func TestWaitGivesUpWhenCancelled(t *testing.T) {
	var wg sync.WaitGroup
	release := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-release
	}()
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error)
	go func() { result <- shield.Wait(ctx, &wg) }()
	cancel()
	if err := <-result; err != context.Canceled {
		t.Errorf("Wait = %v, want context.Canceled", err)
	}
	// The worker and Wait's helper are still running; releasing the worker
	// ends both, which goleak checks at the end of the test binary.
	close(release)
	wg.Wait()
}

func TestDoNilFnPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "shield: nil fn" {
			t.Errorf("recovered %v, want \"shield: nil fn\"", r)
		}
	}()
	var g shield.Group[string, int]
	_, _ = g.Do(context.Background(), "k", nil)
	t.Error("Do with a nil fn did not panic")
}

func TestDoWithDoneContextStartsNothing(t *testing.T) {
	var g shield.Group[string, int]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := g.Do(ctx, "k", func(context.Context) (int, error) {
		t.Error("fn ran for a caller whose ctx was already done")
		return 0, nil
	})
	if err != context.Canceled {
		t.Errorf("Do = %v, want context.Canceled", err)
	}
}

func TestDoDefaultTaskGroupKeepsValues(t *testing.T) {
	type key struct{}
	var g shield.Group[string, string] // flights in task's default group
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "tenant-9"))
	defer cancel()
	type seen struct {
		value any
		err   error
	}
	observed := make(chan seen, 1)
	_, err := g.Do(parent, "k", func(ctx context.Context) (string, error) {
		cancel() // the first caller gives up: that must not reach the work
		observed <- seen{ctx.Value(key{}), ctx.Err()}
		return "", nil
	})
	// The caller was cancelled while it waited, so it sees the result or its
	// own cancellation, whichever its select picked; never anything else.
	if err != nil && err != context.Canceled {
		t.Errorf("Do = %v", err)
	}
	got := <-observed
	if got.value != "tenant-9" {
		t.Errorf("flight ctx value = %v, want the caller's tenant-9", got.value)
	}
	if got.err != nil {
		t.Errorf("flight ctx was cancelled with its first caller: %v", got.err)
	}
}

func TestDoOwnTaskGroupKeepsValuesAndCancellation(t *testing.T) {
	type key struct{}
	tasks := quietTasks()
	g := shield.Group[string, string]{Tasks: tasks, Name: "values"}
	ctx := context.WithValue(context.Background(), key{}, "tenant-3")
	inFlight := make(chan struct{})
	result := make(chan error)
	go func() {
		_, err := g.Do(ctx, "k", func(ctx context.Context) (string, error) {
			if v := ctx.Value(key{}); v != "tenant-3" {
				t.Errorf("flight ctx value = %v", v)
			}
			close(inFlight)
			<-ctx.Done()
			if cause := context.Cause(ctx); cause != task.ErrShutdown {
				t.Errorf("flight ctx cause = %v, want task.ErrShutdown", cause)
			}
			return "", ctx.Err()
		})
		result <- err
	}()
	<-inFlight
	if err := tasks.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-result; err != context.Canceled {
		t.Errorf("Do after the task group shut down = %v, want the flight's context.Canceled", err)
	}
}

func TestDoAfterShutdown(t *testing.T) {
	tasks := quietTasks()
	if err := tasks.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	g := shield.Group[int, int]{Tasks: tasks}
	for i := 0; i < 2; i++ { // the key must not stay stuck in flight
		_, err := g.Do(context.Background(), 1, func(context.Context) (int, error) {
			t.Error("fn ran after the task group shut down")
			return 0, nil
		})
		if err != task.ErrShutdown {
			t.Errorf("Do = %v, want task.ErrShutdown", err)
		}
	}
}

func TestDoPanicReachesCaller(t *testing.T) {
	var hooked atomic.Int32
	tasks := quietTasks()
	tasks.RecoverPanics = true
	tasks.OnError = func(name string, err error) {
		var pe *task.PanicError
		if name == "panicky" && errors.As(err, &pe) {
			hooked.Add(1)
		}
	}
	g := shield.Group[string, int]{Tasks: tasks, Name: "panicky"}
	_, err := g.Do(context.Background(), "k", func(context.Context) (int, error) { panic("bad row") })
	var pe *task.PanicError
	if !errors.As(err, &pe) || pe.Value != "bad row" {
		t.Fatalf("Do = %v, want a *task.PanicError with value \"bad row\"", err)
	}
	if !strings.Contains(string(pe.Stack), "shield_test") {
		t.Errorf("panic stack does not show fn:\n%s", pe.Stack)
	}
	err = tasks.Shutdown(context.Background())
	if want := `task: shutdown: 1 task panicked: "panicky"`; err == nil || err.Error() != want {
		t.Errorf("Shutdown = %v, want %q", err, want)
	}
	if hooked.Load() != 1 {
		t.Errorf("task group reported the panic %d times, want 1", hooked.Load())
	}
}

// TestDoConcurrent hammers a few keys from many goroutines under -race: every
// caller gets its key's value and fn runs at most once per caller.
func TestDoConcurrent(t *testing.T) {
	tasks := quietTasks()
	g := shield.Group[int, int]{Tasks: tasks}
	var calls atomic.Int32
	const workers, perWorker = 8, 100
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		w := w // per-iteration, for go1.21
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				key := (w + i) % 4
				if i%10 == 0 {
					g.Forget(key)
				}
				v, err := g.Do(context.Background(), key, func(context.Context) (int, error) {
					calls.Add(1)
					return key * 10, nil
				})
				if err != nil || v != key*10 {
					t.Errorf("Do(%d) = %d, %v", key, v, err)
				}
			}
		}()
	}
	wg.Wait()
	if err := tasks.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n < 1 || n > workers*perWorker {
		t.Errorf("fn ran %d times", n)
	}
}
