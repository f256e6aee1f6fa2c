//go:build go1.25

//go:debug asynctimerchan=0

package checkpoint_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/checkpoint"
	"github.com/resilvet/resilvet/runtime/task"
)

// In a synctest bubble time moves only when every goroutine is blocked, so
// these tests check exact times. Every runs in a task group made inside the
// bubble, never task's default group, whose context may belong to no bubble.

// saves records when each save was encoded, and of what.
type saves struct {
	mu    sync.Mutex
	start time.Time
	at    []time.Duration
	vals  []int
	fail  int // the next fail saves fail
}

func (s *saves) codec() codec {
	return codec{marshal: func(v any) ([]byte, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.fail > 0 {
			s.fail--
			return nil, errDisk
		}
		s.at = append(s.at, time.Since(s.start))
		s.vals = append(s.vals, v.(int))
		return json.Marshal(v)
	}}
}

func (s *saves) got() ([]time.Duration, []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.at...), append([]int(nil), s.vals...)
}

// counter is the state under checkpoint: snapshot reports a change once per
// change.
type counter struct {
	mu         sync.Mutex
	n, savedAt int
}

func (c *counter) set(n int) {
	c.mu.Lock()
	c.n = n
	c.mu.Unlock()
}

func (c *counter) snapshot() (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	changed := c.n != c.savedAt
	c.savedAt = c.n
	return c.n, changed
}

func everyStore(t *testing.T, rec *saves, g *task.Group, log *recorder) *checkpoint.Store[int] {
	rec.start = time.Now()
	return &checkpoint.Store[int]{
		Path:   filepath.Join(t.TempDir(), "n.ckpt"),
		Codec:  rec.codec(),
		Tasks:  g,
		Logger: slog.New(log),
	}
}

func TestEverySavesOnlyChanges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rec saves
		var log recorder
		g := new(task.Group)
		s := everyStore(t, &rec, g, &log)
		var c counter
		c.set(1)
		if err := s.Every(context.Background(), 10*time.Second, 0, c.snapshot); err != nil {
			t.Fatal(err)
		}
		time.Sleep(25 * time.Second) // ticks at 10s (saves 1) and 20s (nothing new)
		c.set(2)
		time.Sleep(20 * time.Second) // 30s saves 2, 40s nothing
		c.set(3)
		if err := g.Shutdown(context.Background()); err != nil { // the last save
			t.Fatal(err)
		}
		at, vals := rec.got()
		wantAt := []time.Duration{10 * time.Second, 30 * time.Second, 45 * time.Second}
		if !equal(at, wantAt) || !equal(vals, []int{1, 2, 3}) {
			t.Errorf("saved %v at %v, want [1 2 3] at %v", vals, at, wantAt)
		}
		got, err := s.Load(context.Background())
		if err != nil || got != 3 {
			t.Errorf("after Shutdown, Load = %v, %v; want 3", got, err)
		}
		if msgs := log.got(); len(msgs) != 0 {
			t.Errorf("logged %q", msgs)
		}
	})
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEveryJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rec saves
		g := new(task.Group)
		s := everyStore(t, &rec, g, &recorder{})
		n := 0
		snapshot := func() (int, bool) { n++; return n, true }
		if err := s.Every(context.Background(), 10*time.Second, 5*time.Second, snapshot); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour)
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		at, _ := rec.got()
		at = at[:len(at)-1] // the last save is Shutdown's, not a tick
		if len(at) < 240 || len(at) > 360 {
			t.Fatalf("%d ticks in an hour, want between 240 (every 15s) and 360 (every 10s)", len(at))
		}
		gaps := map[time.Duration]bool{}
		prev := time.Duration(0)
		for _, a := range at {
			gap := a - prev
			if gap < 10*time.Second || gap >= 15*time.Second {
				t.Errorf("ticks %v apart, want within [10s, 15s)", gap)
			}
			gaps[gap] = true
			prev = a
		}
		if len(gaps) < len(at)/2 {
			t.Errorf("%d distinct gaps among %d ticks: the jitter is not random", len(gaps), len(at))
		}
	})
}

func TestEveryRetriesFailedSaves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := saves{fail: 2}
		var log recorder
		g := new(task.Group)
		s := everyStore(t, &rec, g, &log)
		var c counter
		c.set(7) // one change, reported once
		if err := s.Every(context.Background(), time.Minute, 0, c.snapshot); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3*time.Minute + time.Second)
		at, vals := rec.got()
		if !equal(at, []time.Duration{3 * time.Minute}) || !equal(vals, []int{7}) {
			t.Errorf("saved %v at %v, want 7 at the third tick, 3m", vals, at)
		}
		msgs := log.got()
		if len(msgs) != 2 {
			t.Fatalf("logged %q, want two failures", msgs)
		}
		for _, m := range msgs {
			if !strings.HasPrefix(m, "ERROR checkpoint: save failed; retrying at the next tick") ||
				!strings.Contains(m, "disk full") || !strings.Contains(m, "path="+s.Path) {
				t.Errorf("logged %q", m)
			}
		}
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if at, _ := rec.got(); len(at) != 1 {
			t.Errorf("saved at %v: Shutdown saved again with nothing changed", at)
		}
	})
}

// Cancelling Every's ctx ends the loop with a last save, as Shutdown does.
func TestEveryLastSaveWhenCtxIsDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rec saves
		g := new(task.Group)
		s := everyStore(t, &rec, g, &recorder{})
		var c counter
		ctx, cancel := context.WithCancel(context.Background())
		if err := s.Every(ctx, time.Hour, 0, c.snapshot); err != nil {
			t.Fatal(err)
		}
		c.set(5)
		time.Sleep(time.Minute)
		cancel()
		synctest.Wait() // the task has ended: nothing is left for Shutdown
		at, vals := rec.got()
		if !equal(at, []time.Duration{time.Minute}) || !equal(vals, []int{5}) {
			t.Errorf("saved %v at %v, want 5 at 1m, when ctx was cancelled", vals, at)
		}
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// The last save waits for a Save already in progress, and is not cut short by
// the Shutdown that asked for it.
func TestEveryLastSaveWaitsForSaveInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var order []int
		var mu sync.Mutex
		s := &checkpoint.Store[int]{
			Path: filepath.Join(t.TempDir(), "n.ckpt"),
			Codec: codec{marshal: func(v any) ([]byte, error) {
				if v.(int) == 1 {
					<-release // a slow disk under the caller's own Save
				}
				mu.Lock()
				order = append(order, v.(int))
				mu.Unlock()
				return json.Marshal(v)
			}},
			Tasks: new(task.Group),
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Save(context.Background(), 1); err != nil {
				t.Error(err)
			}
		}()
		synctest.Wait() // Save(1) holds the store
		var c counter
		c.set(2)
		if err := s.Every(context.Background(), time.Hour, 0, c.snapshot); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(time.Minute, func() { close(release) })
		start := time.Now()
		if err := s.Tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != time.Minute {
			t.Errorf("Shutdown returned after %v, want 1m, when the Save in progress ended", d)
		}
		wg.Wait()
		if !equal(order, []int{1, 2}) {
			t.Errorf("saved %v, want [1 2]", order)
		}
		if got, err := s.Load(context.Background()); err != nil || got != 2 {
			t.Errorf("Load = %v, %v; want the last save's 2", got, err)
		}
	})
}

// A Save waiting for the store gives up with its ctx.
func TestSaveWaitHonoursCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		s := &checkpoint.Store[int]{
			Path: filepath.Join(t.TempDir(), "n.ckpt"),
			Codec: codec{marshal: func(v any) ([]byte, error) {
				if v.(int) == 1 {
					<-release
				}
				return json.Marshal(v)
			}},
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Save(context.Background(), 1); err != nil {
				t.Error(err)
			}
		}()
		synctest.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		if err := s.Save(ctx, 2); err != context.DeadlineExceeded {
			t.Errorf("Save behind a slow Save = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("gave up after %v, want 5s", d)
		}
		close(release)
		wg.Wait()
		if got, err := s.Load(context.Background()); err != nil || got != 1 {
			t.Errorf("Load = %v, %v; want 1: the abandoned Save wrote nothing", got, err)
		}
	})
}

func TestEveryLastSaveFailureIsReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := saves{fail: 1}
		var mu sync.Mutex
		var reported []error
		g := &task.Group{Logger: slog.New(&recorder{}), OnError: func(_ string, err error) {
			mu.Lock()
			reported = append(reported, err)
			mu.Unlock()
		}}
		s := everyStore(t, &rec, g, &recorder{})
		var c counter
		c.set(1)
		if err := s.Every(context.Background(), time.Hour, 0, c.snapshot); err != nil {
			t.Fatal(err)
		}
		if err := g.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(reported) != 1 || !errors.Is(reported[0], errDisk) {
			t.Errorf("OnError got %v, want the last save's disk error", reported)
		}
	})
}

func TestEveryRefuses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &checkpoint.Store[int]{Path: filepath.Join(t.TempDir(), "n.ckpt"), Tasks: new(task.Group)}
		snapshot := func() (int, bool) { return 1, true }
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.Every(ctx, time.Second, 0, snapshot); err != context.Canceled {
			t.Errorf("Every with a done ctx = %v, want context.Canceled", err)
		}
		if err := s.Tasks.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := s.Every(context.Background(), time.Second, 0, snapshot); err != task.ErrShutdown {
			t.Errorf("Every after Shutdown = %v, want task.ErrShutdown", err)
		}
		for _, bad := range []struct {
			interval, jitter time.Duration
			snapshot         func() (int, bool)
			panic            string
		}{
			{0, 0, snapshot, "checkpoint: Every: interval must be positive"},
			{time.Second, -1, snapshot, "checkpoint: Every: negative jitter"},
			{time.Second, 0, nil, "checkpoint: Every: nil snapshot"},
		} {
			func() {
				defer func() {
					if msg, _ := recover().(string); msg != bad.panic {
						t.Errorf("panic %q, want %q", msg, bad.panic)
					}
				}()
				_ = s.Every(context.Background(), bad.interval, bad.jitter, bad.snapshot)
			}()
		}
	})
}
