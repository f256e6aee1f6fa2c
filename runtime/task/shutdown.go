package task

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Shutdown cancels the context of every task in the group, with cause
// ErrShutdown, then blocks until they have all returned or ctx is done,
// whichever comes first. It panics with "task: nil ctx" if ctx is nil.
//
// It returns nil if no task is still running and none has panicked. Otherwise
// its error names, oldest first, each task still running with how long it has
// run, and wraps ctx.Err(); and, in a group with RecoverPanics, names every
// task that has panicked since the group was created and wraps the first
// *PanicError of each, so errors.As finds one.
//
// Called from inside one of the group's tasks, with a ctx that is or derives
// from that task's context, Shutdown does not wait for the calling task,
// which cannot return while it waits, nor for any other task blocked likewise
// in a Shutdown called with its own context: such tasks are not named as
// still running, and a nil error does not mean they have returned. Nor does
// the group's cancellation end such a Shutdown's wait, though it reaches ctx
// through the task's context: ctx's deadline does, if it has one (the error
// then wraps context.DeadlineExceeded), and so does any other cancellation
// that ctx saw first. The calling task is recognised by its context, not its
// goroutine: a Shutdown called from a task with an unrelated ctx
// (context.Background(), say, or one made from it) cannot tell, and waits for
// the calling task until ctx is done; and one called on another goroutine
// with a ctx derived from a task's does not wait for that task.
//
// After Shutdown the group is closed: a later Go runs its fn untracked, on a
// cancelled context, and a later TryGo runs nothing (see Go). Calling
// Shutdown again, concurrently or later, is safe: it waits again, on its own
// ctx, for whatever is still running — for example the stragglers a first,
// short Shutdown gave up on.
func (g *Group) Shutdown(ctx context.Context) error {
	if ctx == nil {
		panic("task: nil ctx")
	}
	self, _ := ctx.Value(taskKey{}).(*entry)
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		if g.ctx == nil { // a Go after Shutdown still needs a cancelled context
			g.ctx, g.cancel = context.WithCancelCause(context.Background())
		}
		g.cancel(ErrShutdown)
	}
	if self != nil && (self.g != g || !self.linked) {
		self = nil // another group's task, or a task that has ended or was never tracked
	}
	if self != nil {
		if self.shutdowns == 0 {
			g.waiting++
			g.wakeIfIdle() // other Shutdowns may have been waiting for self alone
		}
		self.shutdowns++
	}
	var cause error
	if g.running > g.waiting {
		if g.idle == nil {
			g.idle = make(chan struct{})
		}
		idle := g.idle
		g.mu.Unlock()
		cause = wait(ctx, idle, self != nil)
		g.mu.Lock()
	}
	err := g.failures(cause) // while self is still marked as waiting: not a straggler
	if self != nil {
		self.shutdowns--
		if self.shutdowns == 0 && self.linked {
			g.waiting--
		}
	}
	g.mu.Unlock()
	return err
}

// wait blocks until idle is closed, and returns nil, or until ctx is done,
// and returns why. For a Shutdown called from one of the group's tasks, the
// group's own cancellation reaching ctx through the task's context (its
// cause is then ErrShutdown) does not end the wait: that Shutdown caused it.
// ctx's deadline, if any, still does.
func wait(ctx context.Context, idle <-chan struct{}, fromTask bool) error {
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
	}
	if !fromTask || context.Cause(ctx) != ErrShutdown { //nolint:errorlint // identity: the group cancels with ErrShutdown itself; a cause wrapping it is another cancellation, which ends the wait
		return ctx.Err()
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		<-idle
		return nil
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-idle:
		return nil
	case <-t.C:
		return context.DeadlineExceeded
	}
}

// wakeIfIdle wakes the waiting Shutdowns if every running task is itself
// waiting in a Shutdown. g.mu must be held.
func (g *Group) wakeIfIdle() {
	if g.idle != nil && g.running == g.waiting {
		close(g.idle)
		g.idle = nil
	}
}

// panicked is one task name's recovered panics.
type panicked struct {
	name  string
	n     int
	first *PanicError
}

// recordPanic remembers a recovered panic of the task called name for
// Shutdown to report. g.mu must be held.
func (g *Group) recordPanic(name string, pe *PanicError) {
	for _, p := range g.panics {
		if p.name == name {
			p.n++
			return
		}
	}
	g.panics = append(g.panics, &panicked{name: name, n: 1, first: pe})
}

// shutdownError is Shutdown's error: its text, and the errors it wraps.
type shutdownError struct {
	msg  string
	errs []error
}

func (e *shutdownError) Error() string   { return e.msg }
func (e *shutdownError) Unwrap() []error { return e.errs }

// failures returns Shutdown's result: nil, or an error naming the tasks still
// running, if cause (ctx.Err()) is not nil, and the tasks that panicked.
// g.mu must be held.
func (g *Group) failures(cause error) error {
	var b strings.Builder
	var errs []error
	if cause != nil {
		if s := g.stragglers(); s != "" {
			fmt.Fprintf(&b, "%v: %s", cause, s)
			errs = append(errs, cause)
		} // else the last task ended as ctx expired
	}
	if len(g.panics) > 0 {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		total := 0
		for _, p := range g.panics {
			total += p.n
			errs = append(errs, p.first)
		}
		fmt.Fprintf(&b, "%s panicked: ", tasks(total))
		for i, p := range g.panics {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", p.name)
			if p.n > 1 {
				fmt.Fprintf(&b, " ×%d", p.n)
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &shutdownError{msg: "task: shutdown: " + b.String(), errs: errs}
}

// stragglers describes the running tasks that Shutdown waits for, oldest
// first, with repeated names counted once, or returns "" if there are none.
// g.mu must be held.
func (g *Group) stragglers() string {
	type straggler struct {
		name    string
		n       int
		longest time.Duration
	}
	now := time.Now()
	var list []*straggler
	byName := make(map[string]*straggler)
	for e := g.head; e != nil; e = e.next {
		if e.shutdowns > 0 {
			continue // waiting in a Shutdown of its own, not holding this one up
		}
		s := byName[e.name]
		if s == nil {
			s = &straggler{name: e.name, longest: now.Sub(e.start)}
			byName[e.name] = s
			list = append(list, s)
		}
		s.n++
	}
	if len(list) == 0 {
		return ""
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
	return fmt.Sprintf("%s still running: %s", tasks(total), b.String())
}

// tasks returns "1 task" or "n tasks".
func tasks(n int) string {
	if n == 1 {
		return "1 task"
	}
	return fmt.Sprintf("%d tasks", n)
}

// roundDuration keeps straggler durations readable without hiding short ones.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

// reopen makes a shut-down group usable again, keeping track of any
// straggler and forgetting recorded panics. It is for this package's tests
// only.
func (g *Group) reopen() {
	g.mu.Lock()
	g.closed, g.ctx, g.cancel, g.panics = false, nil, nil, nil
	g.mu.Unlock()
}
