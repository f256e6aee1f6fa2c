// Package fireforget defines an Analyzer that reports goroutines that nothing
// waits for, and rewrites them to tasks of
// github.com/resilvet/resilvet/runtime/task.
//
// # Analyzer fireforget
//
// fireforget: report goroutines that nothing waits for, stops or checks
//
// A bare go statement hands work to a goroutine that the rest of the program
// cannot see: nothing waits for it at shutdown, the error it meets is thrown
// away, and a panic in it crashes the whole process. task.Go starts the same
// work as a named task that is waited for at task.Shutdown, whose error is
// logged and whose panic becomes a logged error.
//
// A goroutine is waited for when, judged by types, its body calls
// (*sync.WaitGroup).Done, or a *sync.WaitGroup is passed to the function it
// starts, or it sends on or closes a channel that other code receives from,
// ranges over, selects on, returns, stores or passes on (a channel the
// function received as a parameter, or got from a call, counts as someone
// else's, who is assumed to wait on it). wg.Go, errgroup's Go and TryGo, and
// task.Go are not go statements and are never reported.
//
// A goroutine is bounded (it can be told to stop) when the function it
// starts takes a context.Context, or its body uses a context.Context from
// outside the goroutine, or it receives from a stop channel: a channel of
// struct{}, a channel that some code of the package closes, or a channel
// that came from elsewhere (a parameter, a call's result, another package's
// field); timer channels (elements of type time.Time) do not count. The body
// looked at is the started function literal, or the body of the started
// function when it is declared in the same package, and the bodies of the
// same-package functions those call, two calls deep.
//
// A launcher is a function that starts one of its func-typed parameters on a
// goroutine (go f(), or go func() { ...; f() }(), or by calling another
// launcher). It exports a fact saying whether that start is waited for,
// bounded or untracked. A call of an untracked launcher is reported as
// untracked at the call site, in every package, unless the function passed
// to it is itself waited for or bounded; the go statement inside the
// launcher is reported once, where it is. Calls of other launchers are
// silent. In go vet, facts reach only direct importers.
//
// Each go statement gets at most one diagnostic: lost-error first, then
// untracked, then unjoined, then no-recover. No go statement in main or init
// of package main is reported as untracked or unjoined: the process ends
// with them.
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
// context.Context in scope (a parameter or local of the enclosing function,
// or r.Context() of an *http.Request parameter) or context.Background(). A
// go statement evaluates the function value, its receiver and its arguments
// before the goroutine starts, so the fix first binds each of them that may
// change later to a fresh local,
//
//	f, x := s.handler, next()
//	task.Go(ctx, "pkg.S.handler", func(_ context.Context) error {
//		f(x)
//		return nil
//	})
//
// and leaves alone constants, function literals, named functions and local
// variables that nothing assigns or takes the address of. A loop variable
// counts as assigned in a file compiled for Go older than 1.22, where one
// variable serves every iteration; from Go 1.22 each iteration has its own.
// A started function literal keeps its body; its parameters become locals
// of the task initialised from the bound arguments, and its bare returns
// return nil. The task's own context parameter is _, so it shadows nothing
// and the started code receives exactly the context it received before.
//
// The fix changes only this: the goroutine becomes a task of task's default
// group, so task.Shutdown waits for it (and a task.Go made after
// task.Shutdown has been called does not start it, and logs that); its
// returned error is logged instead of dropped; and a panic in it, including
// calling a nil function value or method through a nil interface, no longer
// crashes the process: the task ends, the panic is logged as an error with
// its stack, and the program goes on without whatever the goroutine had not
// done yet. The goroutine's label in profiles is its task name.
//
// The fix imports github.com/resilvet/resilvet/runtime/task, so it is
// offered only when the package already depends on the runtime module or
// with -fireforget.runtimefixes (set by resilvet -fix, which also adds the
// requirement to go.mod). No fix is offered when the go statement is
// labelled, starts a builtin, passes a multi-valued call to a function
// literal, or starts a function literal whose results are not a lone
// error; nor for launcher calls.
//
// # Rule untracked
//
// untracked: a goroutine that nothing waits for and nothing can stop
//
// Such a goroutine outlives an orderly shutdown, still working while the
// resources it uses are torn down, and a panic in it takes the process down
// with no one told which work was lost.
//
//	// WRONG
//	func (c *Cache) Set(k string, v []byte) {
//		c.m.Store(k, v)
//		go c.persist(k, v) // goroutine is never waited for: it can outlive shutdown and its panics crash the process; start it with task.Go
//	}
//
//	// RIGHT
//	func (c *Cache) Set(ctx context.Context, k string, v []byte) {
//		c.m.Store(k, v)
//		task.Go(ctx, "cache.Cache.persist", func(_ context.Context) error {
//			c.persist(k, v)
//			return nil
//		})
//	}
//
// A call of a launcher that starts its argument untracked is reported where
// the launcher is called:
//
//	// WRONG
//	util.SafeGo(refresh) // util.SafeGo starts its argument on a goroutine that is never waited for: it can outlive shutdown and its panics crash the process
//
// A go statement in main or init of package main is not reported: the
// process ends with it.
//
// # Rule unjoined
//
// unjoined: a goroutine that can be stopped but that nothing waits for
//
// The goroutine takes a context or watches a stop channel, so it ends when
// asked to, but nothing waits until it has: shutdown may close what it still
// uses. Off by default: a goroutine stopped by cancellation is often joined
// by means this analyzer cannot see (a done channel of another package, a
// connection that closes).
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
// server that fails to listen or a flush that fails goes unnoticed.
//
//	// WRONG
//	go srv.ListenAndServe() // go statement drops the error of (*net/http.Server).ListenAndServe: the failure goes unnoticed; start it with task.Go, which logs it
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
// function does not defer, at the top level of its body, a call that
// recovers: a function literal that calls recover, or a function that calls
// recover itself (known across packages through a fact). A goroutine
// started through a function of another package that is not known to
// recover is reported. Off by default: other linters report it, and many
// programs rightly prefer a crash to running on after a panic. No fix: add
// the deferred recover, or start the goroutine with task.Go.
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
package fireforget
