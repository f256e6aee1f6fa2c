package task

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"
)

// ErrShutdown is the cause of a group's context once Shutdown has been called
// (see context.Cause), and the error passed to OnError for a Go made after
// Shutdown.
var ErrShutdown = errors.New("task: group shut down")

// PanicError is the error a task's panic becomes in a Group with
// RecoverPanics set. runtime/shield also hands one to the callers waiting on
// a flight whose fn panicked, whatever the policy.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the panicking goroutine's stack, as runtime/debug.Stack
}

func (e *PanicError) Error() string { return fmt.Sprintf("task: panic: %v", e.Value) }

// Unwrap returns the panic value if it is an error, so that errors.Is and
// errors.As see through a panic(err).
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// errGoexit is the error of a task that called runtime.Goexit.
var errGoexit = errors.New("task: runtime.Goexit called")

// A Group tracks the tasks started with its Go method.
//
// The zero value is ready to use: its context is created by the first Go, it
// logs through slog.Default(), has no error hook and crashes the process on a
// task's panic. A Group must not be copied after first use. Set the fields
// before the first Go; they are read by the tasks without locking.
type Group struct {
	// Logger receives a record for each task that fails or panics, each Go
	// after Shutdown, and (at debug level) each task that stops in good
	// order. Nil means slog.Default() at the time of logging.
	Logger *slog.Logger

	// OnError, if non-nil, is called with a task's name and error, after the
	// error has been logged, for: an error the task returned, unless it
	// stopped in good order; runtime.Goexit in the task; a panic, as a
	// *PanicError, if RecoverPanics is set (a panic that crashes the process
	// is logged only: a hook that blocked would keep the process alive);
	// and a Go after Shutdown, as ErrShutdown. It runs on the task's
	// goroutine, so a slow hook delays Shutdown, except for a Go after
	// Shutdown, where it runs on the goroutine that called Go, before fn
	// starts. The task is still in the group while its hook runs, so a
	// hook that calls the group's Shutdown and waits for it waits for that
	// task until Shutdown's ctx ends: have the hook tell main to shut down
	// (cancel main's context, say) instead.
	//
	// A task stopped in good order if its context was done when it returned
	// and it returned exactly that context's Err() (context.Canceled), or an
	// error that errors.Is reports as the context's cause (ErrShutdown,
	// wrapped or not). That is logged at debug level and not passed to
	// OnError. The limit of this test: a bare context.Canceled that came from
	// another context, returned after Shutdown, is the same value as the
	// task's own ctx.Err() and is taken for a stop in good order; a wrapped
	// context.Canceled is a failure. To add words to an orderly stop, wrap
	// context.Cause(ctx), not ctx.Err().
	OnError func(name string, err error)

	// RecoverPanics makes a task's panic an error instead of a crash: the
	// panic is recovered into a *PanicError, logged with its stack, passed
	// to OnError, and named by every later Shutdown's error. When false,
	// the panic is logged and then crashes the process (see the package
	// doc).
	RecoverPanics bool

	mu      sync.Mutex
	ctx     context.Context // created by the first Go or Shutdown; cancelled by Shutdown
	cancel  context.CancelCauseFunc
	closed  bool          // Shutdown has been called
	head    *entry        // running tasks, oldest first
	tail    *entry        // newest running task
	running int           // tasks in the list
	waiting int           // tasks in the list blocked in a Shutdown called with their own context
	idle    chan struct{} // made by a waiting Shutdown; closed when running == waiting
	panics  []*panicked   // recovered panics by task name, first panic first
}

// entry is one task. It is also the task's context: the group's
// cancellation, the caller's values for the package-level Go, and the task
// itself under taskKey, which is how Shutdown recognises a call from one of
// its own tasks. Being both costs no allocation beyond the entry.
type entry struct {
	context.Context                 // the group's: Done, Err, no Deadline
	values          context.Context // the caller's, for the package-level Go; nil if it has none
	g               *Group
	name            string
	start           time.Time

	// Guarded by g.mu.
	linked     bool // in g's list of running tasks; false for a Go after Shutdown and once ended
	prev, next *entry
	shutdowns  int // Shutdown calls in progress whose ctx is this task's
}

// taskKey is the context key under which a task's context holds its entry.
type taskKey struct{}

// Value asks for the entry first, then the group's context, which holds no
// values of its own but answers the context package's internal lookup of the
// nearest cancellable parent: so context.Cause reports ErrShutdown, and
// contexts derived from a task's context attach to the group's directly
// instead of each starting a goroutine to watch Done. The caller's values come
// last.
func (e *entry) Value(key any) any {
	if key == (taskKey{}) {
		return e
	}
	if v := e.Context.Value(key); v != nil {
		return v
	}
	if e.values == nil {
		return nil
	}
	return e.values.Value(key)
}

// Go starts fn in a new goroutine as the task called name. It does not block.
//
// fn's context is the group's: it carries no values and is cancelled, with
// cause ErrShutdown, when Shutdown is called. fn should return soon after
// that; Shutdown waits for it.
//
// Go panics with "task: nil fn" if fn is nil. A Go after Shutdown has been
// called still runs fn, on a goroutine the group does not track (Shutdown may
// have returned: it cannot wait for it), with a context that is already
// cancelled with cause ErrShutdown; it logs a warning naming the task and
// passes ErrShutdown to OnError before fn starts. It is a shutdown-ordering
// bug in the caller, but dropping fn could drop a resource fn owns.
func (g *Group) Go(name string, fn func(ctx context.Context) error) {
	g.start(context.Background(), name, fn, true) // no values: start stores none
}

// TryGo is Go for callers that handle a shut-down group themselves, such as
// runtime/shield: it starts fn as Go does and reports true, or, if Shutdown
// has been called, runs nothing, reports nothing and returns false. It does
// not block. It panics with "task: nil fn" if fn is nil.
func (g *Group) TryGo(name string, fn func(ctx context.Context) error) bool {
	return g.start(context.Background(), name, fn, false) // no values: start stores none
}

// start runs fn as a task and reports true. If the group is shut down, it
// runs fn untracked if late is set (and reports true), or else nothing (and
// reports false). parent's values, if any, are the task's.
func (g *Group) start(parent context.Context, name string, fn func(ctx context.Context) error, late bool) bool {
	if fn == nil {
		panic("task: nil fn")
	}
	if parent == context.Background() {
		parent = nil // no values to carry: spare every Value lookup a hop
	}
	e := &entry{values: parent, g: g, name: name, start: time.Now()}
	g.mu.Lock()
	if g.ctx == nil {
		g.ctx, g.cancel = context.WithCancelCause(context.Background())
	}
	e.Context = g.ctx
	if g.closed {
		g.mu.Unlock()
		if !late {
			return false
		}
		g.report(e, slog.LevelWarn, "task: Go called after Shutdown; running it untracked on a cancelled context",
			name, ErrShutdown, true)
		// The one goroutine of this package that no Shutdown waits for,
		// by decision: the alternative is dropping fn (see Go).
		go g.run(e, fn)
		return true
	}
	e.linked = true
	if g.tail == nil {
		g.head = e
	} else {
		g.tail.next, e.prev = e, g.tail
	}
	g.tail = e
	g.running++
	g.mu.Unlock()
	go g.run(e, fn)
	return true
}

// run is the body of every task's goroutine.
func (g *Group) run(e *entry, fn func(ctx context.Context) error) {
	var err error
	var pe *PanicError // a recovered panic
	stopped := false   // e was done when fn returned err
	returned := false
	defer func() {
		if !returned {
			// Either a panic (recover is non-nil; since Go 1.21 even
			// panic(nil) is) or runtime.Goexit, e.g. t.FailNow in a test.
			v := recover()
			if v == nil {
				err = errGoexit
			} else {
				// debug.Stack runs on top of the panicking frames, so
				// the stack shows where fn panicked.
				pe = &PanicError{Value: v, Stack: debug.Stack()}
				if !g.RecoverPanics {
					g.reportPanic(e, pe, false)
					// Still on top of the panicking frames, so the
					// crash trace shows them.
					panic(v)
				}
			}
		}
		g.finish(e, err, pe, stopped)
	}()
	pprof.Do(e, pprof.Labels("task", e.name), func(ctx context.Context) {
		err = fn(ctx)
		// Checked as fn returns, not when the error is reported: a
		// Shutdown in between must not turn a failure into a stop.
		stopped = err != nil && e.Err() != nil
	})
	returned = true
}

// finish reports the task's error or recovered panic, then takes e out of the
// group's list and wakes a waiting Shutdown if no task it waits for is left.
// Reporting first means Shutdown returning nil implies every failure has been
// logged and passed to OnError.
func (g *Group) finish(e *entry, err error, pe *PanicError, stopped bool) {
	switch {
	case pe != nil:
		g.mu.Lock()
		g.recordPanic(e.name, pe) // before OnError hears of it: a hook may call Shutdown
		g.mu.Unlock()
		g.reportPanic(e, pe, true)
	case err != nil:
		g.reportEnd(e, err, stopped)
	}
	g.mu.Lock()
	if e.linked {
		e.linked = false
		if e.prev == nil {
			g.head = e.next
		} else {
			e.prev.next = e.next
		}
		if e.next == nil {
			g.tail = e.prev
		} else {
			e.next.prev = e.prev
		}
		e.prev, e.next = nil, nil
		g.running--
		if e.shutdowns > 0 {
			g.waiting-- // its ctx was handed to a Shutdown on another goroutine
		}
		g.wakeIfIdle()
	}
	g.mu.Unlock()
}

// reportEnd reports a task that returned err. Only such a task is timed at
// its end: time.Now is a tenth of a task's cost.
func (g *Group) reportEnd(e *entry, err error, stopped bool) {
	d := slog.Duration("duration", time.Since(e.start))
	if stopped && (err == e.Err() || errors.Is(err, context.Cause(e))) { //nolint:errorlint // identity on purpose: a wrapped Canceled may be anyone's (see OnError)
		g.report(e, slog.LevelDebug, "task stopped", e.name, err, false, d)
		return
	}
	g.report(e, slog.LevelError, "task failed", e.name, err, true, d)
}

// reportPanic logs a task's panic with its stack, and passes it to OnError if
// it was recovered.
func (g *Group) reportPanic(e *entry, pe *PanicError, recovered bool) {
	g.report(e, slog.LevelError, "task panicked", e.name, pe, recovered,
		slog.Duration("duration", time.Since(e.start)), slog.String("stack", string(pe.Stack)))
}

// report logs msg about the task called name, with err and attrs, and passes
// err to OnError if hook is set.
func (g *Group) report(ctx context.Context, level slog.Level, msg, name string, err error, hook bool, attrs ...slog.Attr) {
	l := g.Logger
	if l == nil {
		l = slog.Default()
	}
	all := make([]slog.Attr, 0, len(attrs)+2)
	all = append(all, slog.String("task", name))
	all = append(all, attrs...)
	l.LogAttrs(ctx, level, msg, append(all, slog.Any("error", err))...)
	if hook && g.OnError != nil {
		g.OnError(name, err)
	}
}

// std is the default group behind the package-level Go and Shutdown.
var std Group

// Go starts fn in a new goroutine as the task called name in the default
// group. It does not block. It is the drop-in replacement for a bare go
// statement.
//
// fn's context carries ctx's values (request-scoped loggers, trace spans) but
// not its cancellation or deadline: the task outlives the request that started
// it, which is what a fire-and-forget goroutine wanted, and is cancelled, with
// cause ErrShutdown, by the package-level Shutdown. A nil ctx is taken as
// context.Background(): no values. (A fix that rewrites go f() to task.Go
// passes whatever ctx is in scope, and must not add a panic when it holds
// nil.) A task that must stop with its request should not be a task: call the
// function directly, or bound it with context.WithTimeout inside fn.
//
// The default group logs through slog.Default(), has no error hook and
// crashes the process on a task's panic, after logging it; use a Group of
// your own to change that. Misuse is as for Group.Go: a nil fn panics; a Go
// after Shutdown runs fn untracked, with a cancelled context that still
// carries ctx's values, and logs a warning.
func Go(ctx context.Context, name string, fn func(ctx context.Context) error) {
	std.start(ctx, name, fn, true)
}

// TryGo is Go for callers that handle a shut-down default group themselves:
// it starts fn as Go does (a nil ctx included) and reports true, or, after
// Shutdown, runs nothing, reports nothing and returns false. It does not
// block. It panics with "task: nil fn" if fn is nil.
func TryGo(ctx context.Context, name string, fn func(ctx context.Context) error) bool {
	return std.start(ctx, name, fn, false)
}

// Shutdown shuts the default group down, as Group.Shutdown: it cancels every
// task started with Go, and blocks until they have returned or ctx is done.
// Call it once, at the end of main, after whatever calls Go has stopped; a Go
// that comes later still runs, untracked (see Go).
//
// The default group stays closed for the life of the process. Tests that
// exercise code calling Go should call Shutdown only once per test binary
// (for example in TestMain, after m.Run), or give that code a Group of its
// own; this package's own tests reopen the default group between tests.
func Shutdown(ctx context.Context) error {
	return std.Shutdown(ctx)
}
