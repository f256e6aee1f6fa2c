// Package singleton provides [Lazy], a value constructed on first use by a
// constructor that takes a context and may fail: callers share one attempt,
// each waits on its own context, a failure is rolled back and retried later
// rather than cached, and a constructed value costs one atomic load to get.
//
//	var db = singleton.Lazy[*sql.DB]{
//		Name: "db",
//		New: func(ctx context.Context) (*sql.DB, error) {
//			db, err := sql.Open("postgres", dsn)
//			if err != nil {
//				return nil, err
//			}
//			return db, db.PingContext(ctx)
//		},
//		Cleanup: func(db *sql.DB) { db.Close() }, // rolls back a failed attempt
//	}
//
//	func handle(w http.ResponseWriter, r *http.Request) {
//		conn, err := db.Get(r.Context())
//		...
//	}
//
// # What it replaces
//
// The post-mortem this package comes from had a metaclass that made async
// singletons (AsyncSingletonMeta) and 5–8 singletons that broke in the three
// ways it allowed: initialised without a lock (two callers each built one),
// published before ready (a caller got an instance whose init had not
// finished), or stuck after a failed init (the half-built instance stayed,
// or the failure did, until a restart). Lazy publishes a value only once its
// constructor has returned it without error, under one lock, with at most one
// attempt in flight.
//
// # Why not sync.Once, OnceValue or OnceValues
//
// They have no context: the function cannot see the caller's deadline or
// values, and a caller cannot stop waiting — a caller with a one-second
// deadline waits as long as the function takes. And a failure is cached for
// ever: OnceValues returns its first error to every later call, and a Once
// whose function failed never runs it again, so a dependency that was down
// for a second at start-up is down until the process restarts. This
// package's gap tests show both (gap_test.go). Where the construction cannot
// fail and needs no context, sync.OnceValue is the right tool and what the
// halfinit analyzer's fix writes; Lazy's fast path is measured against it in
// docs/performance.md ("Runtime: singleton").
//
// # The attempt
//
// An attempt runs as a task (see runtime/task), not on a caller's goroutine,
// so that no caller's cancellation reaches it and any caller can give up on
// its own context while the attempt goes on for the others — shield.Group's
// semantics: its context keeps the values of the caller that started it but
// not that caller's cancellation, it is bounded by [Lazy.Timeout] and by the
// task group's Shutdown, and Shutdown waits for it. It is a task of its own
// rather than a shield.Group flight because Reset must be able to cancel the
// attempt it makes obsolete, which a flight does not allow, and because the
// value, the last failure and the attempt in flight must change together
// under one lock.
package singleton

import (
	"context"
	"errors"
	"reflect"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

// ErrRetryDelay is matched (errors.Is) by the error Get returns, without
// making an attempt, while the retry delay after a failed attempt runs. That
// error also matches the failed attempt's error, and reads as this text
// followed by it.
var ErrRetryDelay = errors.New("singleton: not retrying yet")

const (
	// defaultTimeout is shield.Group's: no caller's cancellation stops an
	// attempt, so something must.
	defaultTimeout = time.Minute
	// defaultRetryDelay lets a broken dependency see one attempt a second
	// from a hot path, and a recovered one serve again within a second.
	defaultRetryDelay = time.Second
)

var (
	errReset  = errors.New("singleton: Reset during the attempt")
	errGoexit = errors.New("singleton: New called runtime.Goexit")
)

// A Lazy holds a value of type T that New constructs on first use.
//
// A Lazy with only New set is ready to use: attempts time out after one
// minute, a failed attempt is retried no sooner than one second after it
// ended, and attempts run in runtime/task's default group. Set the fields
// before the first Get. A Lazy must not be copied after first use.
type Lazy[T any] struct {
	// New constructs the value. It runs on a task of its own, with a context
	// that carries the values of the Get that started the attempt but not its
	// cancellation, and that is done after Timeout, when the task group is
	// shut down, or when Reset makes the attempt obsolete (cause: an error
	// saying so). A value returned with a nil error is the Lazy's until
	// Reset; with an error, it is passed to Cleanup. A panic in New is the
	// attempt's error, as a *task.PanicError, whatever the task group's
	// RecoverPanics: callers are waiting for the attempt's outcome, and a
	// construction that panicked is a failed one, to be retried like any.
	New func(ctx context.Context) (T, error)

	// Cleanup, if non-nil, rolls back a value no caller will receive: the
	// value New returned along with an error (unless it is T's zero value),
	// and a value whose attempt Reset made obsolete. It runs on the attempt's
	// task before the attempt's failure is returned to anyone. It is never
	// called on the value Get has handed out (see Reset).
	Cleanup func(T)

	// Timeout bounds each attempt, from its start. Zero or less means one
	// minute.
	Timeout time.Duration

	// RetryDelay is how long after a failed attempt ends Get waits before
	// making another: meanwhile Get returns at once an error that matches
	// ErrRetryDelay and the failure. Zero or less means one second.
	RetryDelay time.Duration

	// Tasks is the task group that runs the attempts and whose Shutdown
	// cancels them and waits for them. Nil means runtime/task's default
	// group.
	Tasks *task.Group

	// Name names the attempts' tasks in their pprof label, their log
	// records and Shutdown's list of stragglers. Empty means
	// "singleton.Lazy[T]" with T's type, e.g. "singleton.Lazy[*sql.DB]".
	Name string

	ready atomic.Pointer[T] // the value; nil until constructed and after Reset

	mu      sync.Mutex
	cur     *attempt[T] // the attempt in flight, if any
	delayed error       // Get's error after a failed attempt, made once
	retryAt time.Time   // when delayed stops holding attempts back
}

// An attempt is one run of New, shared by every Get that joins it.
type attempt[T any] struct {
	done chan struct{} // closed, once, when the fields below are final

	// Guarded by the Lazy's mu until done is closed.
	obsolete bool                    // its waiters were released to go on to a new attempt
	cancel   context.CancelCauseFunc // set by the attempt's task once it runs
	val      T
	err      error
}

// Get returns the value, constructing it first if need be.
//
// Once the value is constructed, Get returns it at once, whatever the state
// of ctx: one atomic load. Otherwise Get blocks until the attempt it starts
// or joins ends, or until ctx is done. A caller that gives up gets ctx.Err()
// and the zero T, and the attempt goes on for the others and for later
// callers. A failed attempt's error (a *task.PanicError if New panicked) is
// returned to the callers waiting for it; it is not kept as the result: the
// first Get after RetryDelay makes a new attempt, and until then Get returns
// at once an error matching ErrRetryDelay and the failure. An attempt that
// Reset made obsolete releases its callers to the next attempt.
//
// A Get whose ctx is already done returns ctx.Err() without starting or
// joining an attempt, unless the value is ready. If the task group has been
// shut down, Get starts nothing and returns task.ErrShutdown. A nil ctx is
// treated as context.Background(). Get panics with "singleton: Lazy.New is
// nil" if it must construct and New is nil. A Get of the same Lazy from
// within New waits for its own attempt, until the attempt's Timeout.
func (l *Lazy[T]) Get(ctx context.Context) (T, error) {
	if p := l.ready.Load(); p != nil {
		return *p, nil
	}
	return l.get(ctx)
}

// get is Get's slow path, kept out of Get so that the fast path is a load,
// a compare and a return. (Get itself does not inline: the compiler calls a
// generic method's shared body, and the call to get exceeds the budget.)
func (l *Lazy[T]) get(ctx context.Context) (T, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	var zero T
	for {
		a, v, err := l.join(ctx)
		if a == nil {
			return v, err
		}
		select {
		case <-a.done:
		case <-ctx.Done():
			select {
			case <-a.done: // ended as ctx did: the result is worth more
			default:
				return zero, ctx.Err()
			}
		}
		if !a.obsolete {
			return a.val, a.err
		}
	}
}

// join returns the attempt to wait for, starting one if none is in flight
// and the retry delay is over, or else a nil attempt and Get's result.
func (l *Lazy[T]) join(ctx context.Context) (a *attempt[T], v T, err error) {
	l.mu.Lock()
	if p := l.ready.Load(); p != nil {
		l.mu.Unlock()
		return nil, *p, nil
	}
	if err := ctx.Err(); err != nil {
		l.mu.Unlock()
		return nil, v, err
	}
	if a = l.cur; a != nil {
		l.mu.Unlock()
		return a, v, nil
	}
	if l.delayed != nil && time.Now().Before(l.retryAt) {
		err = l.delayed
		l.mu.Unlock()
		return nil, v, err
	}
	if l.New == nil {
		l.mu.Unlock()
		panic("singleton: Lazy.New is nil")
	}
	a = &attempt[T]{done: make(chan struct{})}
	l.cur = a
	l.mu.Unlock()

	// Started outside the lock: the task group takes its own.
	if l.start(ctx, a) {
		return a, v, nil
	}
	l.mu.Lock()
	if l.cur == a {
		l.cur = nil
	}
	if !a.obsolete { // else Reset has released the waiters already
		a.obsolete = true // they go on, and find the group shut down too
		close(a.done)
	}
	l.mu.Unlock()
	return nil, v, task.ErrShutdown
}

// start runs a as a task and reports whether the task group took it.
func (l *Lazy[T]) start(ctx context.Context, a *attempt[T]) bool {
	name := l.Name
	if name == "" {
		name = "singleton.Lazy[" + reflect.TypeOf((*T)(nil)).Elem().String() + "]"
	}
	if l.Tasks == nil {
		// The default group's contexts carry ctx's values already.
		return task.TryGo(ctx, name, func(tctx context.Context) error {
			return l.run(tctx, a)
		})
	}
	return l.Tasks.TryGo(name, func(tctx context.Context) error {
		return l.run(detached{tctx, ctx}, a)
	})
}

// run is the body of an attempt's task. It returns the attempt's failure to
// the task group, which logs it: every caller may have given up by then.
func (l *Lazy[T]) run(ctx context.Context, a *attempt[T]) (err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	l.mu.Lock()
	if a.obsolete {
		cancel(errReset)
	} else {
		a.cancel = cancel
	}
	l.mu.Unlock()
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	ctx, stop := context.WithTimeout(ctx, timeout)
	defer stop()

	var v T
	returned := false
	// Deferred so that a panic or runtime.Goexit in New still ends the
	// attempt: its waiters must not wait for ever.
	defer func() {
		if !returned {
			if p := recover(); p != nil {
				err = &task.PanicError{Value: p, Stack: debug.Stack()}
			} else {
				err = errGoexit
			}
			var zero T
			v = zero // New did not return: there is no value to roll back
		}
		err = l.finish(a, v, err)
	}()
	v, err = l.New(ctx)
	returned = true
	return err
}

// finish publishes the attempt's outcome, unless the attempt is obsolete,
// and rolls back whatever value no caller will receive. It returns the error
// for the task group to report: the failure, and a panic in Cleanup. The
// failure of an obsolete attempt is nobody's, often just the cancellation
// Reset caused, and is not reported.
func (l *Lazy[T]) finish(a *attempt[T], v T, err error) error {
	var cerr error
	if err != nil {
		cerr = l.cleanup(v) // before the failure is anyone's
	}
	l.mu.Lock()
	if a.obsolete {
		l.mu.Unlock()
		if err == nil {
			cerr = l.cleanup(v)
		}
		return cerr
	}
	l.cur = nil
	if err == nil {
		l.ready.Store(&v)
		l.delayed = nil
		a.val = v
	} else {
		delay := l.RetryDelay
		if delay <= 0 {
			delay = defaultRetryDelay
		}
		l.delayed, l.retryAt = &delayError{err}, time.Now().Add(delay)
		a.err = err
	}
	close(a.done)
	l.mu.Unlock()
	if cerr != nil {
		return errors.Join(err, cerr)
	}
	return err
}

// cleanup passes v to Cleanup, if both are set, turning a panic into an
// error.
func (l *Lazy[T]) cleanup(v T) (err error) {
	if l.Cleanup == nil || reflect.ValueOf(&v).Elem().IsZero() {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = &task.PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	l.Cleanup(v)
	return nil
}

// Reset forgets the value, or the last failure and its retry delay, so that
// the next Get makes a new attempt at once. It is for tests and for reloads
// (after a configuration change, say). It does not block.
//
// A constructed value is returned, with ok true, and is not passed to
// Cleanup: callers of Get may still be using it, so the caller of Reset
// disposes of it when that is safe. An attempt in flight is made obsolete:
// its context is cancelled (context.Cause says Reset did it), the Get calls
// waiting for it go on at once to a new attempt, and its result, when it
// comes, is given to no one — a value it constructs anyway is passed to
// Cleanup. That attempt may still be running while the next one does.
func (l *Lazy[T]) Reset() (old T, ok bool) {
	l.mu.Lock()
	if p := l.ready.Swap(nil); p != nil {
		old, ok = *p, true
	}
	l.delayed, l.retryAt = nil, time.Time{}
	a := l.cur
	l.cur = nil
	var cancel context.CancelCauseFunc
	if a != nil {
		a.obsolete = true
		cancel = a.cancel
		close(a.done)
	}
	l.mu.Unlock()
	if cancel != nil {
		cancel(errReset)
	}
	return old, ok
}

// delayError is Get's error during the retry delay.
type delayError struct{ err error }

func (e *delayError) Error() string   { return ErrRetryDelay.Error() + ": " + e.err.Error() }
func (e *delayError) Unwrap() []error { return []error{ErrRetryDelay, e.err} }

// detached gives an attempt run by Lazy.Tasks the values of the context of
// the Get that started it and the cancellation of its task's context, which
// it asks first, as shield.Group's flights do: so context.Cause and derived
// contexts see the task group's cancellation directly.
type detached struct {
	context.Context                 // the task's
	values          context.Context // the starting caller's
}

func (c detached) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.values.Value(key)
}
