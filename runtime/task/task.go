// Package task runs named goroutines that are tracked, turn their panics into
// errors, and are waited for at shutdown.
//
// It is the canonical way to start background work in a service:
//
//	task.Go(ctx, "mail.send", func(ctx context.Context) error {
//		return mailer.Send(ctx, msg)
//	})
//	...
//	// in main, after the server has stopped accepting work:
//	if err := task.Shutdown(shutdownCtx); err != nil {
//		log.Print(err) // names every task still running
//	}
//
// Every task has a name. The name is set as the pprof label "task", so
// goroutine profiles and dumps (pprof?debug=1) show which task a goroutine
// runs; it is also the "task" attribute of every log record about the task.
//
// A task's error and a recovered panic are logged through log/slog with the
// task's name and how long it ran, and passed to [Group.OnError]. A panic
// becomes a [*PanicError] carrying the panic value and the stack; it does not
// crash the process.
//
// # Why not errgroup or conc
//
// golang.org/x/sync/errgroup (v0.24.0) lets a panic in a goroutine crash the
// process, deliberately (its Go method explains why; bench/runtimecmp's gap
// test shows it). github.com/sourcegraph/conc's WaitGroup re-panics in Wait,
// and its WaitAndRecover hands back only the first panic, at a Wait that must
// be reached. Neither names its goroutines, reports a failure when it happens
// rather than at the join, or bounds the wait for stragglers. The post-mortem
// this package comes from had 50+ fire-and-forget tasks whose panics and
// errors vanished: a named task that logs its own failure and is waited for
// with a deadline is the primitive that was missing. Its price, about 0.2µs and
// four allocations more than a bare go statement, is measured in
// docs/performance.md ("Runtime: task").
package task

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

// ErrShutdown is the cause of a group's context once Shutdown has been called
// (see context.Cause), and the error reported for a Go call made after
// Shutdown.
var ErrShutdown = errors.New("task: group shut down")

// PanicError is the error a task's recovered panic becomes.
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

// A Group tracks the tasks started with its Go method.
//
// The zero value is ready to use: its context is created by the first Go, it
// logs through slog.Default() and has no error hook. A Group must not be copied
// after first use. Set the fields before the first Go; they are read by the
// tasks without locking.
type Group struct {
	// Logger receives a record for each task that fails or panics, and for
	// each Go after Shutdown. Nil means slog.Default() at the time of logging.
	Logger *slog.Logger

	// OnError, if non-nil, is called with the task's name and error after the
	// error has been logged, on the task's goroutine (so a slow hook delays
	// Shutdown). A panic in a task is passed as a *PanicError; a Go after
	// Shutdown as ErrShutdown, on the goroutine that called Go. A task that
	// returns its own context's error once that context is done has stopped
	// in good order, not failed: that is logged at debug level and not passed
	// to OnError.
	OnError func(name string, err error)

	mu     sync.Mutex
	ctx    context.Context // created by the first Go; cancelled by Shutdown
	cancel context.CancelCauseFunc
	closed bool          // Shutdown has been called
	head   *entry        // running tasks, oldest first
	tail   *entry        // newest running task
	idle   chan struct{} // made by a waiting Shutdown; closed when the last task ends
}

// entry is one running task, linked into its group's list so Shutdown can name
// it; an intrusive list costs one small allocation per task and no hashing.
type entry struct {
	name       string
	start      time.Time
	prev, next *entry
}

// Go starts fn in a new goroutine as the task called name. It does not block.
//
// fn's context is the group's: it carries no values and is cancelled, with
// cause ErrShutdown, when Shutdown is called. fn should return soon after
// that; Shutdown waits for it.
//
// Go panics with "task: nil fn" if fn is nil. A Go that happens after Shutdown
// has been called does not run fn: it is a bug in the caller's shutdown
// ordering, reported (logged at error level and passed to OnError as
// ErrShutdown) rather than panicking, because a fire-and-forget goroutine
// rewritten to a task must not start crashing a handler that races shutdown.
func (g *Group) Go(name string, fn func(ctx context.Context) error) {
	if !g.start(context.Background(), name, fn) {
		g.reportLate(context.Background(), name)
	}
}

// TryGo is Go for callers that handle a shut-down group themselves, such as
// runtime/shield: it starts fn as Go does and reports true, or, if Shutdown
// has been called, starts nothing, reports nothing and returns false. It does
// not block. It panics with "task: nil fn" if fn is nil.
func (g *Group) TryGo(name string, fn func(ctx context.Context) error) bool {
	return g.start(context.Background(), name, fn)
}

// reportLate reports a Go after Shutdown.
func (g *Group) reportLate(ctx context.Context, name string) {
	g.report(ctx, slog.LevelError, "task: Go called after Shutdown; task not started", name, 0, ErrShutdown)
}

// start runs fn as a task and reports true, or false if the group is shut
// down. With a nil parent the task runs on the group's context; otherwise on
// one that has parent's values and the group's cancellation.
func (g *Group) start(parent context.Context, name string, fn func(ctx context.Context) error) bool {
	if fn == nil {
		panic("task: nil fn")
	}
	e := &entry{name: name, start: time.Now()}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return false
	}
	if g.ctx == nil {
		g.ctx, g.cancel = context.WithCancelCause(context.Background())
	}
	ctx := g.ctx
	if parent != context.Background() { // Background has no values to carry
		ctx = detached{ctx, parent}
	}
	if g.tail == nil {
		g.head = e
	} else {
		g.tail.next, e.prev = e, g.tail
	}
	g.tail = e
	g.mu.Unlock()
	go g.run(ctx, e, fn)
	return true
}

// run is the body of every task's goroutine.
func (g *Group) run(ctx context.Context, e *entry, fn func(ctx context.Context) error) {
	var err error
	returned := false
	defer func() {
		if !returned {
			// Either a panic (recover is non-nil; since Go 1.21 even
			// panic(nil) is) or runtime.Goexit, e.g. t.FailNow in a test.
			if v := recover(); v != nil {
				// debug.Stack runs on top of the panicking frames, so
				// the stack shows where fn panicked.
				err = &PanicError{Value: v, Stack: debug.Stack()}
			} else {
				err = errors.New("task: runtime.Goexit called")
			}
		}
		g.finish(ctx, e, err)
	}()
	pprof.Do(ctx, pprof.Labels("task", e.name), func(ctx context.Context) {
		err = fn(ctx)
	})
	returned = true
}

// detached is the context of a task started by the package-level Go: the
// values of the context it was started from, and the Done, Err and (absent)
// Deadline of its group's context. It costs one small allocation, where
// WithoutCancel plus WithCancelCause cost three (measured by BenchmarkGo) and a
// cancel call per task at Shutdown.
type detached struct {
	context.Context                 // the group's
	values          context.Context // the caller's
}

// Value asks the group's context first. That context holds no values of its
// own, but answers the context package's internal lookup of the nearest
// cancellable parent: so context.Cause reports ErrShutdown, and contexts
// derived from a task's context attach to the group's directly instead of
// each starting a goroutine to watch Done.
func (c detached) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.values.Value(key)
}

// finish reports err, then unlinks e and wakes a waiting Shutdown if e was the
// last task. Reporting first means Shutdown returning nil implies every
// failure has been logged and passed to OnError.
func (g *Group) finish(ctx context.Context, e *entry, err error) {
	if err != nil {
		g.reportEnd(ctx, e, err)
	}
	g.mu.Lock()
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
	if g.head == nil && g.idle != nil {
		close(g.idle)
		g.idle = nil
	}
	g.mu.Unlock()
}

// reportEnd reports a task that ended with err. Only such a task is timed at
// its end: time.Now is a tenth of a task's cost.
func (g *Group) reportEnd(ctx context.Context, e *entry, err error) {
	d := time.Since(e.start)
	// The task's own panic is exactly a *PanicError; an error it returns
	// that wraps one (from a group of its own) is an ordinary failure.
	pe, panicked := err.(*PanicError) //nolint:errorlint // see above

	switch {
	case panicked:
		g.report(ctx, slog.LevelError, "task panicked", e.name, d, err, slog.String("stack", string(pe.Stack)))
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		g.report(ctx, slog.LevelDebug, "task stopped", e.name, d, nil)
	default:
		g.report(ctx, slog.LevelError, "task failed", e.name, d, err)
	}
}

// report logs a task's outcome and passes a non-nil err to OnError.
func (g *Group) report(ctx context.Context, level slog.Level, msg, name string, d time.Duration, err error, extra ...slog.Attr) {
	l := g.Logger
	if l == nil {
		l = slog.Default()
	}
	attrs := append([]slog.Attr{slog.String("task", name), slog.Duration("duration", d)}, extra...)
	if err != nil {
		attrs = append(attrs, slog.Any("error", err))
	}
	l.LogAttrs(ctx, level, msg, attrs...)
	if err != nil && level == slog.LevelError && g.OnError != nil {
		g.OnError(name, err)
	}
}

// Shutdown cancels the context of every task in the group, then blocks until
// they have all returned or ctx is done, whichever comes first. It returns nil
// if no task is still running, or else an error that wraps ctx.Err() and names
// each task still running with how long it has run.
//
// After Shutdown the group is closed: a later Go does not start its task (see
// Go). Calling Shutdown again, concurrently or later, is safe: it waits again,
// on its own ctx, for whatever is still running — for example the stragglers
// a first, short Shutdown gave up on.
func (g *Group) Shutdown(ctx context.Context) error {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		if g.cancel != nil {
			g.cancel(ErrShutdown)
		}
	}
	if g.head == nil {
		g.mu.Unlock()
		return nil
	}
	if g.idle == nil {
		g.idle = make(chan struct{})
	}
	idle := g.idle
	g.mu.Unlock()

	select {
	case <-idle:
		return nil
	case <-ctx.Done():
	}
	return g.stragglers(ctx.Err())
}

// stragglers returns nil if no task is running, or an error wrapping cause
// that names the running tasks, oldest first, with repeated names counted once.
func (g *Group) stragglers(cause error) error {
	type straggler struct {
		name    string
		n       int
		longest time.Duration
	}
	now := time.Now()
	var list []*straggler
	byName := make(map[string]*straggler)
	g.mu.Lock()
	for e := g.head; e != nil; e = e.next {
		s := byName[e.name]
		if s == nil {
			s = &straggler{name: e.name, longest: now.Sub(e.start)}
			byName[e.name] = s
			list = append(list, s)
		}
		s.n++
	}
	g.mu.Unlock()
	if len(list) == 0 {
		return nil // the last task ended as ctx expired
	}
	var b strings.Builder
	total := 0
	for i, s := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		total += s.n
		if s.n == 1 {
			fmt.Fprintf(&b, "%q (running %v)", s.name, roundDuration(s.longest))
		} else {
			fmt.Fprintf(&b, "%q ×%d (longest running %v)", s.name, s.n, roundDuration(s.longest))
		}
	}
	plural := "s"
	if total == 1 {
		plural = ""
	}
	return fmt.Errorf("task: shutdown: %w: %d task%s still running: %s", cause, total, plural, b.String())
}

// roundDuration keeps straggler durations readable without hiding short ones.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
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
// cause ErrShutdown, by the package-level Shutdown. A task that must stop with
// its request should not be a task: call the function directly, or bound it
// with context.WithTimeout inside fn.
//
// The default group logs through slog.Default() and has no error hook; use a
// Group of your own to set one. Misuse is as for Group.Go: a nil fn panics, a
// Go after Shutdown is reported and runs nothing.
func Go(ctx context.Context, name string, fn func(ctx context.Context) error) {
	if !std.start(ctx, name, fn) {
		std.reportLate(ctx, name)
	}
}

// TryGo is Go for callers that handle a shut-down default group themselves:
// it starts fn as Go does and reports true, or, after Shutdown, starts
// nothing, reports nothing and returns false. It does not block.
func TryGo(ctx context.Context, name string, fn func(ctx context.Context) error) bool {
	return std.start(ctx, name, fn)
}

// Shutdown shuts the default group down, as Group.Shutdown: it cancels every
// task started with Go, and blocks until they have returned or ctx is done.
// Call it once, at the end of main, after whatever calls Go has stopped.
//
// The default group stays closed for the life of the process. Tests that
// exercise code calling Go should call Shutdown only once per test binary
// (for example in TestMain, after m.Run), or give that code a Group of its
// own; this package's own tests reopen the default group between tests.
func Shutdown(ctx context.Context) error {
	return std.Shutdown(ctx)
}

// reopen makes a shut-down group usable again, keeping track of any
// straggler. It is for this package's tests only.
func (g *Group) reopen() {
	g.mu.Lock()
	g.closed, g.ctx, g.cancel = false, nil, nil
	g.mu.Unlock()
}
