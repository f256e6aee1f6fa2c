// Package shield provides waits that honour the caller's context, and shared
// work that survives any one caller's cancellation.
//
// Sleep and Wait are the context-aware forms of time.Sleep and
// sync.WaitGroup.Wait: they return ctx's error as soon as ctx is done.
//
// Group is a keyed flight, like golang.org/x/sync/singleflight, in which the
// shared work is not the first caller's: it runs as a tracked task (see
// runtime/task) on a context that keeps the first caller's values but not its
// cancellation, bounded by the group's own timeout and by the task group's
// Shutdown. Every caller waits on its own context, so one impatient caller
// gives up alone while the work goes on for the others.
//
// # Why not singleflight
//
// singleflight.Group.Do runs fn on the first caller's goroutine, so fn
// naturally uses the first caller's ctx: when that caller's request is
// cancelled, every caller that joined the flight gets context.Canceled — one
// impatient caller poisons everyone (bench/runtimecmp's gap test shows it).
// No caller can stop waiting early either, and a panic in fn is re-raised in
// every caller. DoChan lets a caller stop waiting but still runs fn on a
// context someone has to choose, and its panic crashes the process from a
// goroutine of singleflight's, with nothing logged. In a shield.Group, fn runs
// as a named task: a panic is logged under the flight's name, every waiter is
// released with it as an error, and the task group's policy decides whether
// the process then crashes (the default, as for any task) or goes on. The
// post-mortem this package comes from had 15+ shared initialisations guarded
// by unshielded timeouts. The price of the extra goroutine and timer per
// flight is measured in docs/performance.md ("Runtime: shield").
package shield

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

// Sleep pauses the current goroutine for at least d, or until ctx is done,
// whichever comes first. It blocks. It returns nil after d, or ctx.Err() if
// ctx is done first (or already); a d of zero or less returns ctx.Err()
// without waiting.
//
// It returns ctx.Err() rather than context.Cause(ctx) so that
// errors.Is(err, context.Canceled) and errors.Is(err, context.DeadlineExceeded)
// work as they do for the rest of the standard library; call
// context.Cause(ctx) for the cause.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 || ctx.Err() != nil {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Wait blocks until wg's counter is zero or ctx is done, whichever comes
// first, and returns nil or ctx.Err() (see Sleep for why not the cause).
//
// Returning early stops nothing: the goroutines wg counts keep running, and so
// does one helper goroutine of Wait's, blocked in wg.Wait until the counter
// reaches zero, when it exits. If the counter never reaches zero, that helper
// stays blocked with the goroutines holding it up, and a leak checker such as
// goleak reports it beside them; it adds no leak of its own. Because the
// helper's wg.Wait may still be pending, a wg that Wait gave up on must not be
// reused for a new set of goroutines (sync.WaitGroup forbids an Add from zero
// concurrent with a Wait).
func Wait(ctx context.Context, wg *sync.WaitGroup) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan struct{})
	// No recover: the helper runs no user code, and the only panic it can
	// meet, a misused WaitGroup, must crash as the caller's own wg.Wait would.
	//resilvet:ignore fireforget/no-recover no-recover does not apply: no user code runs here, and a WaitGroup-misuse panic should crash
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// defaultTimeout bounds a flight when Group.Timeout is not positive. Shared
// work must be bounded by something: no caller's cancellation stops it.
const defaultTimeout = time.Minute

// errGoexit is a flight's error when fn called runtime.Goexit.
var errGoexit = errors.New("shield: fn called runtime.Goexit")

// A Group runs shared work for keys: concurrent Do calls with the same key
// share one call of fn.
//
// Keys match as map keys do. A key that is not equal to itself (a NaN, or a
// struct, array or interface holding one) matches no key, itself included,
// so each Do with it runs a call of fn of its own; it is never stored. A key
// whose dynamic type is not comparable (a slice in an interface key) makes
// Do and Forget panic, as a map would, with a message starting "shield: ".
//
// The zero value is ready to use: flights time out after one minute and run
// in runtime/task's default group, named "shield.Group". Set the fields
// before the first Do. A Group must not be copied after first use.
type Group[K comparable, V any] struct {
	// Timeout bounds each flight's work, from its start. Zero or less
	// means one minute.
	Timeout time.Duration

	// Tasks is the task group that runs the flights, and whose Shutdown
	// cancels them. Its RecoverPanics decides what a panic in fn does (see
	// Do). Nil means runtime/task's default group, which crashes on a panic.
	Tasks *task.Group

	// Name names the flights' tasks, in their pprof label, their log
	// records and Shutdown's list of stragglers. Empty means "shield.Group".
	Name string

	mu      sync.Mutex
	flights map[K]*flight[V]
}

// A flight is one call of fn, shared by every Do that joins it.
type flight[V any] struct {
	done   chan struct{} // closed when val and err are set
	val    V
	err    error
	shared bool // stored in the group's map (its key equals itself)
}

// Do returns the result of fn for key, sharing one call of fn among all
// concurrent callers with the same key. It blocks until that call returns or
// until the caller's ctx is done.
//
// The first caller starts fn as a task, on a context that carries ctx's values
// but not its cancellation or deadline, bounded by Timeout and cancelled by
// the task group's Shutdown. Later callers join the flight in progress. Every
// caller, the first included, waits on its own ctx: one that gives up gets its
// own ctx.Err() and the zero V, while fn goes on for the others. Once fn has
// returned, its result is every waiting caller's, and the next Do for key
// starts a new call.
//
// A panic in fn is a panic in a task, and follows the task group's policy
// (see runtime/task). Every caller waiting on the flight is first given a
// *task.PanicError with the panic value and stack, so none is left waiting;
// then the panic goes on to the task group, which logs it and crashes the
// process by default, or, if its RecoverPanics is set, passes it to OnError
// and names the flight in Shutdown's error. A Group on the default task group
// therefore crashes on a panic in fn.
//
// A Do whose ctx is already done returns ctx.Err() without starting or joining
// a flight. If the task group has been shut down, Do starts nothing and
// returns task.ErrShutdown. Do panics with "shield: nil fn" if fn is nil, and
// as described on Group for a key that is not comparable.
func (g *Group[K, V]) Do(ctx context.Context, key K, fn func(ctx context.Context) (V, error)) (V, error) {
	if fn == nil {
		panic("shield: nil fn")
	}
	var zero V
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	shared := selfEqual(key) // before locking: it may panic
	var f *flight[V]
	if shared {
		g.mu.Lock()
		f = g.flights[key]
	}
	if f == nil {
		f = &flight[V]{done: make(chan struct{}), shared: shared}
		if shared {
			if g.flights == nil {
				g.flights = make(map[K]*flight[V])
			}
			g.flights[key] = f
			g.mu.Unlock()
		}
		g.start(ctx, key, f, fn)
	} else {
		g.mu.Unlock()
	}
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
	}
	select {
	case <-f.done: // landed as ctx ended: the result is worth more
		return f.val, f.err
	default:
		return zero, ctx.Err()
	}
}

// selfEqual reports whether key == key, which is false for a NaN and for any
// key holding one; a map can neither find nor delete such a key. Comparing
// panics on an uncomparable dynamic type, as hashing does, and a true result
// means every part of the key was compared: the map operations that follow
// cannot panic with the lock held.
func selfEqual[K comparable](key K) bool {
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprintf("shield: key of type %T is not comparable: %v", key, r))
		}
	}()
	return key == key // the NaN test, generically
}

// Forget makes the next Do for key start a new call of fn even if one is in
// flight. The flight in progress is not cancelled: its callers still get its
// result. Forget does not block.
//
// Forget panics, as Do does, if key is not comparable; a key not equal to
// itself is never in flight for others, so Forget does nothing for it.
func (g *Group[K, V]) Forget(key K) {
	if !selfEqual(key) {
		return
	}
	g.mu.Lock()
	delete(g.flights, key)
	g.mu.Unlock()
}

// start runs f's call of fn as a task, or lands f with task.ErrShutdown if
// the task group is shut down.
func (g *Group[K, V]) start(ctx context.Context, key K, f *flight[V], fn func(ctx context.Context) (V, error)) {
	name := g.Name
	if name == "" {
		name = "shield.Group"
	}
	var started bool
	if g.Tasks == nil {
		// The default group's contexts already carry ctx's values.
		started = task.TryGo(ctx, name, func(tctx context.Context) error {
			return g.run(tctx, key, f, fn)
		})
	} else {
		started = g.Tasks.TryGo(name, func(tctx context.Context) error {
			return g.run(detached{tctx, ctx}, key, f, fn)
		})
	}
	if !started {
		f.err = task.ErrShutdown
		g.land(key, f)
	}
}

// run calls fn with the flight's timeout and records its result. A panic in
// fn lands the flight with a *task.PanicError, so that no waiter hangs, and
// then panics on with the same value for the task group to handle by its own
// policy. fn's error goes back to the task group, which logs it: by then every
// caller may have given up.
func (g *Group[K, V]) run(ctx context.Context, key K, f *flight[V], fn func(ctx context.Context) (V, error)) (err error) {
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	returned := false
	defer func() {
		if returned {
			err = f.err
			g.land(key, f)
			return
		}
		v := recover()
		if v == nil {
			f.err = errGoexit // and runtime.Goexit goes on unwinding
			g.land(key, f)
			return
		}
		f.err = &task.PanicError{Value: v, Stack: debug.Stack()}
		g.land(key, f)
		// Still on top of fn's panicking frames: the task group's
		// report and any crash trace show them.
		panic(v)
	}()
	f.val, f.err = fn(ctx)
	returned = true
	return nil // set by the deferred function
}

// land publishes f's result and removes it from the group, unless it was
// never stored or Forget already took it out.
func (g *Group[K, V]) land(key K, f *flight[V]) {
	if f.shared {
		g.mu.Lock()
		if g.flights[key] == f {
			delete(g.flights, key)
		}
		g.mu.Unlock()
	}
	close(f.done)
}

// detached gives a flight run by Group.Tasks the values of the context it was
// started from and the cancellation of its task's context. It asks the task's
// context first, which holds only the group's cancellation and the pprof
// label, so context.Cause and derived contexts see the task group's
// cancellation directly (runtime/task does the same for its default group).
type detached struct {
	context.Context                 // the task's
	values          context.Context // the first caller's
}

func (c detached) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.values.Value(key)
}
