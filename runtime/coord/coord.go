// Package coord provides process-wide signals that cannot be left set by an
// exit path that forgot to clear them: [SetEnv], an environment variable
// whose restore puts back exactly what was there before, and [Flag], an
// in-process "operation in progress" signal that is lowered by a deferred
// call and says how long it has been up.
//
// It replaces the post-mortem's coordination_flag: an environment variable
// telling other components "a node is booting", set in one place and cleared
// by hand in seven exception paths. The one path that forgot left every
// component believing the node was still booting; and the helper that
// cleared it popped the variable unconditionally, destroying a value someone
// else had set. The canonical forms are
//
//	defer coord.SetEnv("NODE_BOOTING", "1")() // only if a child process or a library must read it
//
//	var Booting = coord.Flag{Name: "node.booting"}
//	lower := Booting.Raise()
//	defer lower() // on every exit path, panics included
//
// and, in the components that waited on the variable,
//
//	if err := Booting.Wait(ctx); err != nil { ... } // blocks until no boot is in progress
//
// A Flag, not an environment variable, is the right tool for signalling
// inside one process: reading it is one atomic load, waiting for it needs no
// polling, it says since when it has been up, and it cannot leak into child
// processes. Its costs against os.Getenv and os.Setenv are measured in
// docs/performance.md ("Runtime: coord").
//
// # Why hand-written
//
// The restore helpers that exist write the old state back unconditionally,
// and most are for tests only: testing.T.Setenv (test-only, and refused in
// parallel tests), gotest.tools/v3/env.Patch (takes a testing.T; its cleanup
// sets or unsets the old value whatever the variable holds by then) and
// github.com/rhysd/go-tmpenv v1.2.0 (Envguard.Restore sets every saved value
// and unsets every added key, likewise), all read as source. Restored out of
// order, or after other code changed the variable, each writes back a stale
// value: the post-mortem's second bug. For the flag, the standard library's
// nearest, sync.WaitGroup, counts, but its Wait takes no context and it
// cannot say whether it is at zero, or since when it has not been; an
// atomic.Bool cannot count nested raises or be waited for.
package coord

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// SetEnv sets the environment variable key to value and returns a function
// that restores the variable's previous state: unset if it was unset, its old
// value otherwise. SetEnv does not block (beyond a process-wide lock held for
// the duration of the system call); restore does not block either.
//
// The intended use is one line, so that every exit path restores, a panic
// included:
//
//	defer coord.SetEnv("KEY", "value")()
//
// restore is idempotent: calls after the first do nothing, so it may be both
// deferred and called early. It never panics.
//
// restore puts the old state back only if the variable still holds the value
// this call set. If other code has changed or unset the variable since, that
// code now owns it, and restore leaves it alone, logging a warning through
// slog.Default() that names the key (never the values, which may be secrets).
// Restoring a value that is no longer ours is how the post-mortem's helper
// destroyed someone else's setting.
//
// Overlapping SetEnv calls on the same key nest. Restored in reverse order,
// each puts back what the one before it set. Restored out of order, the
// result is the same as if they had been restored in reverse: restoring a call
// that a later call has overridden changes nothing in the environment, and
// hands the state it would have restored to the later call, whose own restore
// then puts that back. So, with KEY unset:
//
//	ra := coord.SetEnv("KEY", "a")
//	rb := coord.SetEnv("KEY", "b")
//	ra() // KEY is still "b": b overrides a
//	rb() // KEY is unset, as before a, not "a": a has ended
//
// Only SetEnv calls take part in this nesting; os.Setenv, os.Unsetenv and
// testing.T.Setenv are "other code" above.
//
// The environment is process-global: while set, the value is visible to every
// goroutine, and inherited by every child process started, whichever
// goroutine starts it. Code that only needs to pass a value to one child
// process should set cmd.Env instead. In tests, prefer testing.T.Setenv,
// which also refuses to run in parallel tests that would see each other's
// values; tests that exercise code calling SetEnv must not run in parallel
// for the same reason.
//
// SetEnv panics, with a message starting "coord: SetEnv", if os.Setenv
// rejects the key or value (an empty key, or one containing '=' or NUL, or a
// value containing NUL): that is a programming error, not a condition to
// handle at run time. Nothing is changed in that case.
func SetEnv(key, value string) (restore func()) {
	envMu.Lock()
	defer envMu.Unlock()
	old, wasSet := os.LookupEnv(key)
	if err := os.Setenv(key, value); err != nil {
		panic(fmt.Sprintf("coord: SetEnv(%q): %v", key, err))
	}
	s := &setting{key: key, value: value, prev: old, prevSet: wasSet, below: envTop[key]}
	if s.below != nil {
		s.below.above = s
	}
	if envTop == nil {
		envTop = make(map[string]*setting)
	}
	envTop[key] = s
	return s.restore
}

// envMu serializes SetEnv and restore, so that reading the old state,
// setting the new one and linking the setting happen as one step.
var envMu sync.Mutex

// envTop holds, for each key with an unrestored SetEnv, the latest such call.
// The environment itself is process-global, so this bookkeeping is too.
var envTop map[string]*setting

// A setting is one SetEnv call, linked to the calls on the same key that it
// overrode (below) and that override it (above).
type setting struct {
	key, value   string
	prev         string // what restore puts back, if prevSet
	prevSet      bool
	below, above *setting
	done         bool
}

func (s *setting) restore() {
	if msg := s.unlink(); msg != "" {
		slog.Default().Warn(msg, slog.String("key", s.key))
	}
}

// unlink restores s under envMu and returns a warning to log once the lock is
// released, or "".
func (s *setting) unlink() string {
	envMu.Lock()
	defer envMu.Unlock()
	if s.done {
		return ""
	}
	s.done = true
	if s.below != nil {
		s.below.above = s.above
	}
	if a := s.above; a != nil {
		// Overridden: the environment holds a later call's value, or
		// other code's. If that later call overrode s's own value, it
		// now restores what s would have; if other code had changed the
		// variable in between, the later call restores that code's value,
		// just as restoring in reverse order would have ended.
		a.below = s.below
		if a.prevSet && a.prev == s.value {
			a.prev, a.prevSet = s.prev, s.prevSet
		}
		return ""
	}
	if s.below != nil {
		envTop[s.key] = s.below
	} else {
		delete(envTop, s.key)
	}
	if cur, ok := os.LookupEnv(s.key); !ok || cur != s.value {
		return "coord: SetEnv restore left the variable alone: other code changed it since"
	}
	var err error
	if s.prevSet {
		err = os.Setenv(s.key, s.prev)
	} else {
		err = os.Unsetenv(s.key)
	}
	if err != nil {
		// The old value was in the environment, so this should not fail;
		// restore runs in defers after panics and must not panic itself.
		return "coord: SetEnv restore failed: " + err.Error()
	}
	return ""
}

// A Flag is a process-wide boolean saying "an operation is in progress", for
// example that the node is booting. It is up while at least one [Flag.Raise]
// has not been lowered: raises nest and are counted.
//
// The zero value is a down flag with no name, ready to use. Declare a flag
// once, as a package-level variable, and share the variable; there is no
// registry by name, since a flag looked up by a string is the coupling the
// environment variable it replaces had. A Flag must not be copied after first
// use.
type Flag struct {
	// Name names the flag in its log value, e.g. "node.booting". Set it
	// before first use; it is read without locking.
	Name string

	mu     sync.Mutex
	raises atomic.Int32  // raises not yet lowered; written under mu, read by Up without it
	since  time.Time     // when raises last went from 0 to 1
	down   chan struct{} // made by a Wait while up; closed when raises reaches 0
}

// Raise raises the flag and returns the function that lowers this raise. It
// does not block.
//
// The flag is up from the first Raise until every raise has been lowered.
// lower is idempotent: a second call of the same lower does nothing, so it
// can be deferred and also called early, and one raise can never lower
// another. Use it as
//
//	lower := f.Raise()
//	defer lower()
//
// so that every exit path lowers, a panic included. A raise that is never
// lowered leaves the flag up for the life of the process, visibly: see
// [Flag.Since] and [Flag.LogValue].
func (f *Flag) Raise() (lower func()) {
	f.mu.Lock()
	if f.raises.Add(1) == 1 {
		f.since = time.Now()
	}
	f.mu.Unlock()
	var lowered atomic.Bool
	return func() {
		if lowered.CompareAndSwap(false, true) {
			f.lower()
		}
	}
}

func (f *Flag) lower() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.raises.Add(-1) > 0 {
		return
	}
	f.since = time.Time{}
	if f.down != nil {
		close(f.down)
		f.down = nil
	}
}

// Up reports whether the flag is up: whether some raise has not been lowered.
// It does not block. The answer may be stale by the time the caller acts on
// it; to wait for the flag to go down, use [Flag.Wait].
func (f *Flag) Up() bool {
	return f.raises.Load() > 0 // lock-free: components may ask on every request
}

// Since returns when the flag went up, or the zero time if it is down. It
// does not block. Nested raises do not move it: it is the time of the raise
// that took the flag from down to up. A status page can show how long an
// operation has been in progress, and so a raise that was never lowered
// shows as an operation that has lasted for hours.
func (f *Flag) Since() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.since
}

// Wait blocks until the flag is down or ctx is done. It returns nil at once
// if the flag is down, even if ctx is done; nil when the last raise is
// lowered; or ctx.Err() if ctx is done first.
//
// Wait reports that the flag went down, not that it still is: another Raise
// may have raised it again by the time the caller runs. There is no wait for
// the flag to go up. The post-mortem's components waited for the boot to be
// over; a wait for "up" would miss a raise lowered before the waiter woke, so
// code that must react to an operation starting should be told by that
// operation.
func (f *Flag) Wait(ctx context.Context) error {
	f.mu.Lock()
	if f.raises.Load() == 0 {
		f.mu.Unlock()
		return nil
	}
	if f.down == nil {
		f.down = make(chan struct{})
	}
	down := f.down
	f.mu.Unlock()
	select {
	case <-down:
		return nil
	case <-ctx.Done():
	}
	select {
	case <-down: // went down as ctx ended: the answer is worth more
		return nil
	default:
		return ctx.Err()
	}
}

// LogValue implements slog.LogValuer: a flag logged as an attribute shows as
// a group of its name, whether it is up, and, while up, since when and how
// many raises are not yet lowered. It does not block.
func (f *Flag) LogValue() slog.Value {
	f.mu.Lock()
	raises, since := f.raises.Load(), f.since
	f.mu.Unlock()
	attrs := []slog.Attr{slog.String("name", f.Name), slog.Bool("up", raises > 0)}
	if raises > 0 {
		attrs = append(attrs, slog.Time("since", since), slog.Int("raises", int(raises)))
	}
	return slog.GroupValue(attrs...)
}
