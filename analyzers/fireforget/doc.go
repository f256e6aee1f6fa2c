// Package fireforget defines an Analyzer that reports goroutines that nothing
// waits for, and rewrites them to tasks of
// github.com/resilvet/resilvet/runtime/task.
//
// # Analyzer fireforget
//
// fireforget: report goroutines that nothing waits for, stops or checks
//
// A bare go statement hands work to a goroutine that the rest of the program
// cannot see: nothing waits for it at shutdown, and the error it meets is
// thrown away. task.Go starts the same work as a named task that
// task.Shutdown cancels and waits for, whose error is logged, and whose panic
// is logged with the task's name before it crashes the process, as a bare
// goroutine's would.
//
// Everything below is judged by types, on the started function literal, or
// on the body of the started function when the package declares it, on the
// bodies of the same-package functions those call, two calls deep, and on
// facts about other packages' functions.
//
// A goroutine is waited for when its body calls (*sync.WaitGroup).Done, or
// the Done of a type or interface with sync.WaitGroup's protocol (Add, Done
// and a Wait without parameters), signals a sync.Cond, closes an
// io.PipeWriter, or calls a function of another package known (through a
// fact) to do one of these; when a *sync.WaitGroup is passed to the function
// it starts; when it sends on or closes a channel that other code receives
// from, ranges over, selects on, returns, stores or passes on (a channel
// that came from a parameter or a call counts as someone else's, who is
// assumed to wait on it); or when a function literal, after doing its work,
// closes a connection or pipe it captured from the spawning function, whose
// reader waits for that close. wg.Go, errgroup's Go and TryGo, and task.Go
// are not go statements and are never reported.
//
// A goroutine is bounded (it can be told to stop) when the function it
// starts takes a context.Context, or its body uses a context.Context from
// outside the goroutine, or calls in a loop a method of a value that has a
// Context method (a gRPC stream); when it receives from a stop channel: a
// channel of struct{}, a channel that some code of the package closes, or a
// channel that came from, or goes, elsewhere, where it may be closed (timer
// channels, of time.Time, never are), or a select case that discards what
// it receives and returns (case <-z.shutdown: return, whatever z.shutdown
// carries); when a loop stops on a flag that other
// code sets — an atomic value (for f.Load() { ... }, or if closed() {
// return } where closed loads one), or a field or package variable that
// code outside the goroutine assigns (if s.closed { return }, with s.closed
// = true in Close, also when the loop first copies it to a local under a
// lock); or when its work is on a value of another package's type
// that can be stopped (it has a Close, Shutdown, Stop or GracefulStop
// method) — called in a loop, or, in a function literal, as a statement of
// its own (if err := srv.Serve(l); ...), or, for a function of another
// package, called on or handed (go srv.Serve(l), go io.Copy(dst, src)):
// whoever holds the connection, listener or server can close it.
//
// A goroutine keeps running when its function, or one it calls, has a loop
// that waits for something and may not end by itself: a for loop with no
// condition, or one that is neither a comparison nor a reading of the clock
// (for !done { ... }), or a range over a channel, whose body receives, sends
// or selects on a channel, sleeps, waits on a sync.Cond or WaitGroup, or
// accepts on a net.Listener, or calls a function of the package that does
// one of these itself — or calls a function that keeps running (a fact
// says so of another package's: http.Server.Serve does). A loop that
// returns a value other than an error waits for an answer and ends with
// it (net's dialParallel), one that returns once a send of its select goes
// through hands one value over, and one that returns once a context is
// done lives as long as that context (Shutdown polling until its
// deadline): none of these keeps running. A select with a default case
// waits only in its clauses, statements that end in a return run once
// (a drain loop's last send), and deferred calls are cleanup. Waiting is
// followed one call deep: a wait further down a call chain is on a path
// the loop rarely takes, if at all (package runtime's Caller reaches a
// receive that only a cgo program's start takes, and every loop that
// logs would otherwise keep running). A goroutine that
// makes its calls and ends — go conn.Close(), go feed.Send(ev), a finite
// loop over a snapshot, a read of a stream to its end — ends by itself. A
// function value, or a method called through an interface, is not known to
// keep running.
//
// A goroutine that lives as long as the process by design is left alone by
// default: a command's own code starts it — main or init of package main, the
// body a CLI framework runs for a command (cobra's Run and RunE, urfave/cli's
// Action, or the functions handed to an adapter that builds it: cmd.RunE =
// wrap(cmdRun)), or a function of the package they call, directly or not (a
// literal counts when it runs in their place: called at once, deferred,
// started with go, a worker of a group, or run by a call before it returns;
// an HTTP handler or another callback kept for later does not) — or it is
// started at most once (in a function passed to (*sync.Once).Do or
// sync.OnceFunc, or under an if that wins a CompareAndSwap), or it waits for
// OS signals, or it unconditionally ends the process (os.Exit, log.Fatal).
// So is every goroutine of package runtime, and go panic(err), a deliberate
// crash.
//
// The strict profile (-fireforget.strict, or -strict for every analyzer) is
// the post-mortem's policy, "no goroutine untracked", for a team that starts
// all its work through the runtime: untracked then reports every goroutine
// that nothing waits for and nothing can stop — one that ends by itself, a
// command's daemon, a goroutine started once, a callback — and unjoined and
// lost-error come on.
//
// A launcher is a function that starts one of its func-typed parameters on a
// goroutine (go f(), or go func() { ...; f() }(), or by calling another
// launcher). It exports a fact saying whether that start is waited for,
// bounded, a daemon or untracked. A call of an untracked launcher is
// reported as untracked at the call site, in every package, when the
// function passed keeps running (in the strict profile: always) and is not
// itself waited for or bounded, nor a callback the caller was handed; the go
// statement inside the launcher is reported once, where it is. Calls of
// other launchers are silent. In go vet, facts reach only direct importers.
//
// A go statement that starts a function value which is not a parameter of
// the spawning function (a hook stored in a field, a callback ranged over or
// type-asserted) is not reported as untracked or unjoined by default: whoever
// supplied the callback owns it.
//
// Each go statement gets at most one diagnostic: lost-error first, then
// untracked, then unjoined, then no-recover.
//
// The fix rewrites
//
//	go f(a, b)
//
// to
//
//	task.Go(ctx, "pkg.f", func(_ context.Context) error {
//		f(a, b)
//		return nil
//	})
//
// or to return f(a, b) when f returns only an error, with the
// context.Context variable in scope (a parameter or local of the enclosing
// function) or context.Background(). (r.Context() of an *http.Request is not
// used: evaluating it is new, and panics on a nil request where the go
// statement did not.) A go statement evaluates the function value, its
// receiver and its arguments before the goroutine starts, so the fix first
// binds each of them that may change later to a fresh local,
//
//	f, x := s.handler, next()
//	task.Go(ctx, "pkg.S.handler", func(_ context.Context) error {
//		f(x)
//		return nil
//	})
//
// and leaves alone constants, function literals, named functions and local
// variables that nothing assigns or takes the address of. The fresh names
// of the fixes in one function are distinct from each other, since a driver
// applies them together. A loop variable counts as assigned in a file
// compiled for Go older than 1.22 (or of unknown version), where one
// variable serves every iteration; from Go 1.22 each iteration has its own.
// A method value is bound whole when evaluating it later could differ (a
// receiver expression, a promoted method, a value method through a pointer).
// A started function literal keeps its body; its parameters become locals
// of the task initialised from the bound arguments (converted to the
// parameter's type where the argument's own type differs), and its bare
// returns return nil. The task's own context parameter is _, so it shadows
// nothing and the started code receives exactly the context it received
// before. task.Go gives the task a context of its own that carries the given
// context's values but not its cancellation.
//
// The fix changes only this: the goroutine becomes a task of task's default
// group, so task.Shutdown cancels its context and waits for it (and a
// task.Go made after task.Shutdown still runs it, untracked, on a context
// already cancelled, and logs that); its returned error is logged instead of
// dropped; a panic in it is logged with the task's name, then crashes the
// process as before. The goroutine's label in profiles is its task name. A
// program whose goroutines became tasks must call task.Shutdown at the end
// of main: no-shutdown says where it does not.
//
// The fix imports github.com/resilvet/resilvet/runtime/task, so it is
// offered only when the package already depends on the runtime module or
// with -fireforget.runtimefixes (set by resilvet -fix, which also adds the
// requirement to go.mod); otherwise the message still names task.Go. No fix
// is offered when the go statement is labelled, starts a builtin, passes a
// multi-valued call to a function literal with several parameters, passes
// an untyped boolean or shift whose type comes from the parameter, starts a
// function literal whose results are not a lone error, starts a function
// whose own body calls runtime.Goexit (a task that does is logged as
// failed, where the goroutine ended quietly), or where task or context
// cannot be named without a second import of the same path; nor for
// launcher calls.
//
// # Rule untracked
//
// untracked: a goroutine that nothing waits for and nothing can stop
//
// Such a goroutine outlives an orderly shutdown, still working while the
// resources it uses are torn down. By default it is reported only when it
// keeps running (see above) and is not a command's or the process's own
// daemon; the strict profile reports every one.
//
//	// WRONG
//	func NewCache() *Cache {
//		c := new(Cache)
//		go c.janitor() // goroutine is never waited for: it can outlive shutdown; start it with task.Go, which task.Shutdown waits for
//		return c
//	}
//
//	// RIGHT
//	func NewCache(ctx context.Context) *Cache {
//		c := new(Cache)
//		task.Go(ctx, "cache.Cache.janitor", func(_ context.Context) error {
//			c.janitor()
//			return nil
//		})
//		return c
//	}
//
// (Better still, janitor takes the task's context and returns when it is
// done.) A call of a launcher that starts its argument untracked is
// reported where the launcher is called:
//
//	// WRONG
//	util.SafeGo(poll) // util.SafeGo starts its argument on a goroutine that is never waited for: it can outlive shutdown
//
// A go statement that only calls time.AfterFunc or context.AfterFunc, which
// return at once and run their function on a goroutine of their own, is
// reported with a fix that drops the go:
//
//	// WRONG
//	go time.AfterFunc(d, flush) // go statement only calls time.AfterFunc, which returns at once and runs f on a goroutine of its own: drop the go
//
//	// RIGHT
//	time.AfterFunc(d, flush)
//
// Known limits: a goroutine stopped by a sentinel value sent on its work
// channel, or one that ends when an outside subsystem (tracing) stops, is
// reported; a library that runs the user's callback on a goroutine by
// contract is reported at the callback's launcher; a library's test harness
// that runs a whole command is not a command's code.
//
// # Rule unjoined
//
// unjoined: a goroutine that can be stopped but that nothing waits for
//
// The goroutine takes a context or watches a stop channel, so it ends when
// asked to, but nothing waits until it has: shutdown may close what it still
// uses. Off by default: it is a design review rather than a bug report, and
// much library code stops its goroutines this way on purpose; the strict
// profile switches it on.
//
//	// WRONG
//	go s.watch(ctx) // goroutine can be stopped but is never waited for: it can outlive shutdown; start it with task.Go
//
//	// RIGHT
//	s.wg.Add(1)
//	go func() {
//		defer s.wg.Done()
//		s.watch(ctx)
//	}()
//
// # Rule lost-error
//
// lost-error: a go statement that drops the error its function returns
//
// The go statement discards every result of the function it starts, so a
// server that fails to listen or a flush that fails goes unnoticed. Not
// reported for Close (whose error on teardown is by convention not
// checked), for a function that keeps its error itself (a named error
// result read by a deferred literal), nor for a function handed a resource
// that the package closes elsewhere (go io.Copy(dst, src)), whose error is
// how it learns of the close. Such go statements are judged by untracked.
//
// Off by default: its precision on real code is below the 90% bar
// (docs/precision.md). The misses are errors dropped on purpose (a delete
// whose failure a timeout repairs) and errors also reported another way.
// With it off, a go statement that drops an error and that nothing waits
// for is still judged by untracked. The strict profile switches it on.
//
//	// WRONG
//	go srv.ListenAndServe() // go statement drops the error of (*http.Server).ListenAndServe: the failure goes unnoticed; start it with task.Go, which logs it
//
//	// RIGHT
//	task.Go(ctx, "http.Server.ListenAndServe", func(_ context.Context) error {
//		return srv.ListenAndServe()
//	})
//
// # Rule no-recover
//
// no-recover: a goroutine whose panic would crash the process
//
// Reported for a go statement that no other rule reports and whose started
// function does not defer, in its own body, a call that recovers: a
// function literal that calls recover, or a function that calls recover
// itself (known across packages through a fact). A goroutine started
// through a function value, or a function of another package that is not
// known to recover, is reported. A recover in a function literal that the
// body calls, rather than defers, is not seen. Off by default, also in the
// strict profile: other linters report it, and many programs rightly prefer
// a crash to running on after a panic, as task.Go's default group does. No
// fix: add the deferred recover, or use a task.Group with RecoverPanics.
//
//	// WRONG
//	wg.Add(1)
//	go func() { // goroutine has no deferred recover: a panic in it crashes the process
//		defer wg.Done()
//		work()
//	}()
//
//	// RIGHT
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		defer func() {
//			if r := recover(); r != nil {
//				log.Printf("work: panic: %v", r)
//			}
//		}()
//		work()
//	}()
//
// # Rule no-shutdown
//
// no-shutdown: a program starts tasks on task's default group but main never calls task.Shutdown
//
// task.Go starts a task that task.Shutdown waits for; a program that never
// calls it waits for nothing at exit, and the tasks (the ones the untracked
// fix writes among them) are cut off mid-work as before. Reported at func
// main of a program that starts tasks on the default group (task.Go or
// task.TryGo, in package main or in a package it imports: facts carry it)
// when neither main nor a function of package main that main calls calls
// task.Shutdown. The runtime's own packages use the default group only when
// their caller gave them no group, which cannot be seen, so they do not
// count.
//
//	// WRONG
//	func main() { // this program starts tasks on task's default group (in example.com/svc/cache), but main never calls task.Shutdown: nothing waits for them at exit
//		cache.Start(ctx)
//		serve()
//	}
//
//	// RIGHT
//	func main() {
//		defer func() {
//			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//			defer cancel()
//			if err := task.Shutdown(ctx); err != nil {
//				slog.Error("tasks did not stop", "error", err)
//			}
//		}()
//		cache.Start(ctx)
//		serve()
//	}
//
// The fix inserts that deferred call at the top of main (above the comment
// leading main's first statement, if any). It changes only this: when main
// returns, it cancels the tasks' contexts and waits for them for up to 10
// seconds, logging the ones still running. No fix is offered when main's
// own body calls os.Exit or log.Fatal, which skip deferred calls: call
// task.Shutdown before them; nor when a task the package starts can be
// seen never to end (it ignores its context, has no return, and loops for
// ever or blocks in an empty select): Shutdown could only wait it out,
// delaying every exit by the whole timeout. Make it return when its
// context is cancelled first. A task that blocks for ever in a way that
// cannot be seen (a receive nothing sends to) delays the exit the same way.
package fireforget
