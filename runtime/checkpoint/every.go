package checkpoint

import (
	"context"
	"log/slog"
	"math/rand"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

// Every saves the value snapshot returns, periodically and once more at the
// end, as a tracked task of s.Tasks (runtime/task's default group if nil). It
// does not block: it starts the task and returns.
//
// At each tick Every calls snapshot, which returns the current value and
// whether it changed since the previous call; Every saves it if it changed.
// A failed save is logged through s.Logger at error level and retried at the
// next tick, with the newer value if snapshot has one, or else the one that
// failed, so that a change is never dropped because the disk hiccuped.
//
// Ticks are interval plus a random duration in [0, jitter) apart, the first
// one included, so that a fleet of processes started together does not save
// in lockstep. A jitter of zero saves exactly every interval.
//
// The task ends when ctx is done or the task group is shut down, whichever
// comes first. It then calls snapshot one last time and saves what has not
// been saved, on a context that is not cancelled, so the last save runs to
// completion; the group's Shutdown waits for it. That last save is lost only
// if the process exits without calling Shutdown, or if Shutdown's own
// deadline passes first (Shutdown then names the task, "checkpoint:" + Path,
// among the stragglers). If it fails, the task returns its error, which the
// task group logs and passes to its OnError. To wait for the last save after
// cancelling ctx, call the group's Shutdown.
//
// snapshot is called on the task's goroutine, never concurrently with
// itself; it must return a value that the caller will not modify afterwards
// (a copy), since encoding happens after it returns. Its last call runs
// during Shutdown, so it must not wait for anything held by whoever calls
// Shutdown. A panic in snapshot, or in the codec, is a panic of the task:
// the task group's policy applies (by default the process crashes after the
// panic is logged; a group with RecoverPanics ends the task with the panic
// as its error, without a last save).
//
// Every returns ctx.Err(), and starts nothing, if ctx is already done, and
// task.ErrShutdown if the task group has been shut down. It panics, with a
// message starting "checkpoint:", if interval is not positive, jitter is
// negative, snapshot is nil or Path is empty. Calling Every more than once
// on a Store starts one loop per call, whose saves take turns.
func (s *Store[T]) Every(ctx context.Context, interval, jitter time.Duration, snapshot func() (v T, changed bool)) error {
	switch {
	case interval <= 0:
		panic("checkpoint: Every: interval must be positive")
	case jitter < 0:
		panic("checkpoint: Every: negative jitter")
	case snapshot == nil:
		panic("checkpoint: Every: nil snapshot")
	case s.Path == "":
		panic("checkpoint: Store.Path is empty")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	name := "checkpoint:" + s.Path
	l := &loop[T]{s: s, interval: interval, jitter: jitter, snapshot: snapshot}
	var started bool
	if s.Tasks == nil {
		started = task.TryGo(ctx, name, func(tctx context.Context) error { return l.run(ctx, tctx) })
	} else {
		started = s.Tasks.TryGo(name, func(tctx context.Context) error { return l.run(ctx, tctx) })
	}
	if !started {
		return task.ErrShutdown
	}
	return nil
}

// A loop is one Every call's state.
type loop[T any] struct {
	s                *Store[T]
	interval, jitter time.Duration
	snapshot         func() (T, bool)

	pending T    // the newest value snapshot returned that is not yet saved
	dirty   bool // pending holds such a value
}

// run is the task: ctx is Every's, tctx the task's.
func (l *loop[T]) run(ctx, tctx context.Context) error {
	t := time.NewTimer(l.wait())
	defer t.Stop()
	for {
		select {
		case <-t.C:
			// A save cut short by Shutdown is not a failure: the last
			// save follows at once.
			if err := l.tick(tctx); err != nil && tctx.Err() == nil {
				l.logger().LogAttrs(tctx, slog.LevelError, "checkpoint: save failed; retrying at the next tick",
					slog.String("path", l.s.Path), slog.Any("error", err))
			}
			t.Reset(l.wait())
		case <-ctx.Done():
			return l.tick(context.WithoutCancel(tctx))
		case <-tctx.Done():
			return l.tick(context.WithoutCancel(tctx))
		}
	}
}

// tick saves what snapshot reports as changed, or what failed to save before.
func (l *loop[T]) tick(ctx context.Context) error {
	if v, changed := l.snapshot(); changed {
		l.pending, l.dirty = v, true
	}
	if !l.dirty {
		return nil
	}
	if err := l.s.Save(ctx, l.pending); err != nil {
		return err
	}
	var zero T
	l.pending, l.dirty = zero, false // let the saved value be collected
	return nil
}

// wait returns the time to the next tick.
func (l *loop[T]) wait() time.Duration {
	if l.jitter <= 0 {
		return l.interval
	}
	return l.interval + time.Duration(rand.Int63n(int64(l.jitter)))
}

func (l *loop[T]) logger() *slog.Logger {
	if l.s.Logger != nil {
		return l.s.Logger
	}
	return slog.Default()
}
