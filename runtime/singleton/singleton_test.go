package singleton_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/resilvet/resilvet/runtime/singleton"
	"github.com/resilvet/resilvet/runtime/task"
)

// conn stands for a dependency a singleton holds: a pool, a client.
type conn struct {
	id     int
	closed atomic.Bool
}

func (c *conn) Close() { c.closed.Store(true) }

// Many goroutines calling Get over and over, with the scheduler's real
// interleavings: one construction, one value. (synctest_test.go checks the
// same with every caller provably waiting on the attempt.)
func TestManyCallersOneConstruction(t *testing.T) {
	tasks, _ := newTasks()
	defer shutdown(t, tasks)
	var calls atomic.Int32
	l := singleton.Lazy[*conn]{Tasks: tasks, New: func(context.Context) (*conn, error) {
		n := calls.Add(1)
		return &conn{id: int(n)}, nil
	}}

	const goroutines, gets = 64, 100
	var wg sync.WaitGroup
	got := make([]*conn, goroutines)
	start := make(chan struct{})
	for i := 0; i < goroutines; i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for j := 0; j < gets; j++ {
				c, err := l.Get(context.Background())
				if err != nil {
					t.Errorf("Get = %v", err)
					return
				}
				if got[i] == nil {
					got[i] = c
				} else if got[i] != c {
					t.Errorf("goroutine %d got two values: %d and %d", i, got[i].id, c.id)
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("New called %d times, want 1", n)
	}
	for i, c := range got {
		if c != got[0] {
			t.Errorf("goroutine %d got value %v, goroutine 0 got %v", i, c, got[0])
		}
	}
}

func TestPanicIsAnError(t *testing.T) {
	tasks, h := newTasks()
	defer shutdown(t, tasks)
	var calls atomic.Int32
	l := singleton.Lazy[*conn]{Tasks: tasks, New: func(context.Context) (*conn, error) {
		if calls.Add(1) == 1 {
			panic("config missing")
		}
		return &conn{id: 2}, nil
	}}
	_, err := l.Get(context.Background())
	var pe *task.PanicError
	if !errors.As(err, &pe) || pe.Value != "config missing" {
		t.Fatalf("Get after a panic = %v, want a *task.PanicError with the value", err)
	}
	if !strings.Contains(string(pe.Stack), "TestPanicIsAnError") {
		t.Errorf("the panic's stack does not show where New panicked:\n%s", pe.Stack)
	}

	// Not a poisoned value: the next attempt (Reset skips the delay) succeeds.
	l.Reset()
	c, err := l.Get(context.Background())
	if err != nil || c.id != 2 {
		t.Fatalf("Get after Reset = %v, %v; want the second attempt's value", c, err)
	}
	shutdown(t, tasks) // the group reports a task's failure as the task ends, after Get has its result
	if _, errs := h.got(); len(errs) != 1 || !errors.As(errs[0], &pe) {
		t.Errorf("task group was told %v, want the panic", errs)
	}
}

func TestCleanupRollsBackFailedAttempts(t *testing.T) {
	tasks, _ := newTasks()
	defer shutdown(t, tasks)
	partial := &conn{id: 1}
	var cleaned []*conn
	var calls atomic.Int32
	refused := errors.New("connection refused")
	l := singleton.Lazy[*conn]{
		Tasks: tasks,
		New: func(context.Context) (*conn, error) {
			switch calls.Add(1) {
			case 1:
				return partial, refused // opened, then failed its health check
			case 2:
				return nil, refused // nothing to roll back
			}
			return &conn{id: 3}, nil
		},
		Cleanup: func(c *conn) {
			c.Close()
			cleaned = append(cleaned, c) // Cleanup runs before Get returns
		},
	}
	if _, err := l.Get(context.Background()); err != refused {
		t.Fatalf("first Get = %v, want %v", err, refused)
	}
	if len(cleaned) != 1 || cleaned[0] != partial || !partial.closed.Load() {
		t.Fatalf("after a failed attempt with a partial value, Cleanup got %v, want the partial value", cleaned)
	}
	l.Reset()
	if _, err := l.Get(context.Background()); err != refused {
		t.Fatalf("second Get = %v, want %v", err, refused)
	}
	if len(cleaned) != 1 {
		t.Fatalf("Cleanup called with a zero value: %v", cleaned)
	}
	l.Reset()
	c, err := l.Get(context.Background())
	if err != nil || c.id != 3 {
		t.Fatalf("third Get = %v, %v", c, err)
	}

	// Reset hands the value back instead of cleaning it up: callers of Get
	// may still be using it.
	old, ok := l.Reset()
	if !ok || old != c || c.closed.Load() || len(cleaned) != 1 {
		t.Errorf("Reset = %v, %v with cleaned %v; want the value back, not cleaned up", old, ok, cleaned)
	}
	if old, ok := l.Reset(); ok || old != nil {
		t.Errorf("second Reset = %v, %v; want nothing", old, ok)
	}
}

func TestCleanupPanicIsReported(t *testing.T) {
	tasks, h := newTasks()
	defer shutdown(t, tasks)
	refused := errors.New("connection refused")
	l := singleton.Lazy[*conn]{
		Tasks:   tasks,
		Name:    "db",
		New:     func(context.Context) (*conn, error) { return &conn{}, refused },
		Cleanup: func(*conn) { panic("double close") },
	}
	if _, err := l.Get(context.Background()); err != refused {
		t.Fatalf("Get = %v, want New's error alone", err)
	}
	shutdown(t, tasks)
	names, errs := h.got()
	var pe *task.PanicError
	if len(errs) != 1 || names[0] != "db" || !errors.Is(errs[0], refused) || !errors.As(errs[0], &pe) || pe.Value != "double close" {
		t.Errorf("task group was told %q %v, want db: New's error and Cleanup's panic", names, errs)
	}
}

func TestGetWithDoneContext(t *testing.T) {
	tasks, _ := newTasks()
	defer shutdown(t, tasks)
	var calls atomic.Int32
	l := singleton.Lazy[int]{Tasks: tasks, New: func(context.Context) (int, error) {
		calls.Add(1)
		return 42, nil
	}}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if v, err := l.Get(done); err != context.Canceled || v != 0 || calls.Load() != 0 {
		t.Fatalf("Get(done) = %v, %v with %d attempts; want context.Canceled and no attempt", v, err, calls.Load())
	}
	if v, err := l.Get(nil); err != nil || v != 42 { //nolint:staticcheck // nil is documented as Background
		t.Fatalf("Get(nil) = %v, %v", v, err)
	}
	if v, err := l.Get(done); err != nil || v != 42 {
		t.Errorf("Get(done) once constructed = %v, %v; want the value", v, err)
	}
}

func TestShutDownGroup(t *testing.T) {
	tasks, _ := newTasks()
	shutdown(t, tasks)
	l := singleton.Lazy[int]{Tasks: tasks, New: func(context.Context) (int, error) {
		t.Error("New ran on a shut-down group")
		return 0, nil
	}}
	for i := 0; i < 2; i++ {
		if _, err := l.Get(context.Background()); err != task.ErrShutdown {
			t.Errorf("Get on a shut-down group = %v, want task.ErrShutdown", err)
		}
	}
}

type key struct{}

// The attempt keeps the starting caller's values (a logger, a trace span),
// in the default group and in a group of its own, but not its cancellation.
func TestNewSeesCallerValues(t *testing.T) {
	tasks, _ := newTasks()
	defer shutdown(t, tasks)
	for _, g := range []*task.Group{nil, tasks} {
		g := g
		l := singleton.Lazy[string]{Tasks: g, New: func(ctx context.Context) (string, error) {
			if ctx.Err() != nil {
				return "", fmt.Errorf("attempt's context done: %w", ctx.Err())
			}
			v, _ := ctx.Value(key{}).(string)
			return v, nil
		}}
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "trace-7"))
		v, err := l.Get(ctx)
		cancel()
		if err != nil || v != "trace-7" {
			t.Errorf("Tasks %v: New saw value %q, err %v; want trace-7", g, v, err)
		}
	}
}

func TestDefaultName(t *testing.T) {
	tasks, h := newTasks()
	defer shutdown(t, tasks)
	l := singleton.Lazy[*conn]{Tasks: tasks, New: func(context.Context) (*conn, error) {
		return nil, errors.New("down")
	}}
	_, _ = l.Get(context.Background())
	shutdown(t, tasks)
	if names, _ := h.got(); len(names) != 1 || names[0] != "singleton.Lazy[*singleton_test.conn]" {
		t.Errorf("attempt's task named %q, want singleton.Lazy[*singleton_test.conn]", names)
	}
}

func TestNilNewPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "singleton: Lazy.New is nil" {
			t.Errorf("recovered %v, want the misuse panic", r)
		}
	}()
	var l singleton.Lazy[int]
	_, _ = l.Get(context.Background())
}
