package shield_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/shield"
	"github.com/resilvet/resilvet/runtime/task"
)

// doRecovering calls g.Do and returns the value it panicked with, if any.
func doRecovering(g *shield.Group[any, int], key any) (r any) {
	defer func() { r = recover() }()
	_, _ = g.Do(context.Background(), key, func(context.Context) (int, error) { return 1, nil })
	return nil
}

// TestUncomparableKey: a key whose dynamic type is not comparable panics in
// the caller, as a map would, with a shield: message, and leaves the Group
// usable. Before, the map's panic left the mutex locked and every later Do,
// on any key, blocked for ever.
func TestUncomparableKey(t *testing.T) {
	g := &shield.Group[any, int]{Tasks: quietTasks()}
	type holder struct{ v any }
	for _, key := range []any{[]int{1}, map[string]int{}, holder{func() {}}} {
		r := within(t, func() any { return doRecovering(g, key) })
		msg, _ := r.(string)
		if !strings.HasPrefix(msg, "shield: key of type ") || !strings.Contains(msg, "not comparable") {
			t.Errorf("Do(%T) panicked with %v, want a shield: message", key, r)
		}
	}
	r := within(t, func() (r any) {
		defer func() { r = recover() }()
		g.Forget([]int{1})
		return nil
	})
	if msg, _ := r.(string); !strings.HasPrefix(msg, "shield: ") {
		t.Errorf("Forget([]int) panicked with %v, want a shield: message", r)
	}
	v := within(t, func() any {
		v, _ := g.Do(context.Background(), "fine", func(context.Context) (int, error) { return 7, nil })
		return v
	})
	if v != 7 {
		t.Errorf("Do after the panics = %v, want 7", v)
	}
	if n := g.Len(); n != 0 {
		t.Errorf("%d flights left in the map", n)
	}
	if err := g.Tasks.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// within returns f's result. f runs on its own goroutine so that a Group
// whose lock a panic left held fails the test instead of hanging it; the
// timeout measures nothing.
func within(t *testing.T, f func() any) any {
	t.Helper()
	result := make(chan any, 1)
	go func() { result <- f() }()
	select {
	case v := <-result:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("blocked: a panic left the Group's lock held")
		panic("unreachable")
	}
}

// TestSelfUnequalKeysAreNotStored: a NaN key, or a key holding one, matches
// no key, so each Do runs its own call and leaves nothing in the map. Before,
// every finished Do(NaN) left its flight in the map for ever.
func TestSelfUnequalKeysAreNotStored(t *testing.T) {
	tasks := quietTasks()
	type point struct{ x, y float64 }
	floats := &shield.Group[float64, int]{Tasks: tasks}
	structs := &shield.Group[point, int]{Tasks: tasks}
	ifaces := &shield.Group[any, int]{Tasks: tasks}
	one := func(context.Context) (int, error) { return 1, nil }
	const calls = 20000
	for i := 0; i < calls; i++ {
		if v, err := floats.Do(context.Background(), math.NaN(), one); v != 1 || err != nil {
			t.Fatalf("Do(NaN) = %d, %v", v, err)
		}
	}
	for i := 0; i < 100; i++ {
		_, _ = structs.Do(context.Background(), point{math.NaN(), 1}, one)
		_, _ = ifaces.Do(context.Background(), any(math.NaN()), one)
		_, _ = ifaces.Do(context.Background(), [1]any{math.NaN()}, one)
	}
	floats.Forget(math.NaN()) // a no-op, not a panic
	for name, n := range map[string]int{"float64": floats.Len(), "struct": structs.Len(), "any": ifaces.Len()} {
		if n != 0 {
			t.Errorf("Group[%s] holds %d flights after its NaN calls ended, want 0", name, n)
		}
	}
	if err := tasks.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestSelfUnequalKeyIsNotShared: two concurrent Do calls with NaN keys run
// a call of fn each, as two map lookups of NaN find nothing.
func TestSelfUnequalKeyIsNotShared(t *testing.T) {
	tasks := quietTasks()
	g := &shield.Group[float64, int]{Tasks: tasks}
	var started sync.WaitGroup
	started.Add(2)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = g.Do(context.Background(), math.NaN(), func(context.Context) (int, error) {
				started.Done() // both calls of fn must start: neither joins the other
				<-release
				return 0, nil
			})
		}()
	}
	started.Wait()
	close(release)
	wg.Wait()
	if err := tasks.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

const crashChild = "SHIELD_CRASH_CHILD"

//go:noinline
func loadPanics() (int, error) { panic("corrupt cache entry") }

// TestPanicInFlightCrashesByDefault: on the default task group, a panic in
// fn releases the waiter with the panic, then crashes the process after the
// task group has logged it, with fn's frames in the crash trace.
func TestPanicInFlightCrashesByDefault(t *testing.T) {
	if os.Getenv(crashChild) == "1" {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
		var g shield.Group[string, int] // the default task group
		_, err := g.Do(context.Background(), "k", func(context.Context) (int, error) { return loadPanics() })
		var pe *task.PanicError
		if errors.As(err, &pe) {
			os.Stderr.WriteString("waiter released with the panic\n")
		}
		time.Sleep(time.Minute) // the crash comes first
		os.Stderr.WriteString("survived the panic\n")
		return
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPanicInFlightCrashesByDefault$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChild+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("child: err = %v, want exit status 2 (a Go panic)", err)
	}
	for _, want := range []string{
		`msg="task panicked" task=shield.Group`,
		"panic: corrupt cache entry [recovered, repanicked]",
		"shield_test.loadPanics()",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q", want)
		}
	}
	if strings.Contains(string(out), "survived the panic") {
		t.Error("child survived the panic")
	}
	if t.Failed() {
		t.Logf("child output:\n%s", out)
	}
}
