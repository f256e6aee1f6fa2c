// Package task runs named goroutines that are tracked, report their failures
// as they happen, and are waited for at shutdown.
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
// # Errors
//
// A task's error is logged through log/slog with the task's name and how long
// it ran, and passed to [Group.OnError], when the task returns: not at a join
// that may never come. A task that returns its own context's error after
// Shutdown has cancelled it has stopped in good order and is not a failure
// ([Group.OnError] says exactly what counts).
//
// # Panics
//
// A panic in a task is logged at error level, with the task's name, the panic
// value and the stack, and then crashes the process, as a panic in a bare go
// statement does: the task's goroutine panics again with the original value,
// while the frames that panicked are still on its stack, so the crash trace
// shows them (Go 1.26 prints "panic: <value> [recovered, repanicked]" above
// it). A program whose listener or worker goroutine died must not go on
// half-alive, and crash reporters keep working.
//
// A [Group] whose RecoverPanics field is set recovers instead: the panic
// becomes a [*PanicError] with the value and the stack, logged and passed to
// OnError, and the group's Shutdown returns an error naming every task that
// panicked, so that main can exit non-zero. The default group behind the
// package-level [Go] always crashes.
//
// runtime.Goexit in a task (t.FailNow in a test) is not a panic: the task
// fails with an error saying so.
//
// # After Shutdown
//
// Work handed to Go after Shutdown is not dropped, because such work often
// owns a resource (an accepted connection that is owed a reply): fn runs on a
// goroutine of its own, which the group does not track, since Shutdown may
// already have returned; its context is already cancelled, with cause
// [ErrShutdown]; and the late start is logged as a warning and passed to
// OnError as ErrShutdown. TryGo is the form that refuses instead: after
// Shutdown it runs nothing and returns false.
//
// # Why not errgroup or conc
//
// golang.org/x/sync/errgroup (v0.24.0) lets a panic in a goroutine crash the
// process, deliberately: its Go method explains that carrying the panic to
// Wait delays it, turns its stack into a mere value and risks a deadlock that
// hides it. This package agrees and crashes too; what errgroup lacks is what
// surrounds the crash: its goroutines have no name, nothing reaches the
// service's logger before the process dies, and a group cannot choose to
// recover panics into errors reported as they happen (bench/runtimecmp's gap
// test shows both). github.com/sourcegraph/conc's WaitGroup re-panics in Wait,
// the delay errgroup warns of, and its WaitAndRecover hands back only the
// first panic, at a Wait that must be reached. Neither names its goroutines,
// reports a failure when it happens rather than at the join, or bounds the
// wait for stragglers. The post-mortem this package comes from had 50+
// fire-and-forget tasks whose panics and errors vanished: a named task that
// reports its own failure and is waited for with a deadline is the primitive
// that was missing. Its price, about 0.2µs and four allocations more than a
// bare go statement, is measured in docs/performance.md ("Runtime: task").
package task
