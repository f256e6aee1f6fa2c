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
// Everything below is judged by types, on the started function literal, or
// on the body of the started function when the package declares it, and on
// the bodies of the same-package functions those call, two calls deep.
//
// A goroutine is waited for when its body calls (*sync.WaitGroup).Done,
// signals a sync.Cond, closes an io.PipeWriter, or calls a function of
// another package known (through a fact) to do one of these; when a
// *sync.WaitGroup is passed to the function it starts; when it sends on or
// closes a channel that other code receives from, ranges over, selects on,
// returns, stores or passes on (a channel that came from a parameter or a
// call counts as someone else's, who is assumed to wait on it); or when a
// function literal, after doing its work, closes a connection or pipe it
// captured from the spawning function, whose reader waits for that close.
// wg.Go, errgroup's Go and TryGo, and task.Go are not go statements and are
// never reported.
//
// A goroutine is bounded (it can be told to stop) when the function it
// starts takes a context.Context, or its body uses a context.Context from
// outside the goroutine, or calls in a loop a method of a value that has a
// Context method (a gRPC stream); when it receives from a stop channel: a
// channel of struct{}, a channel that some code of the package closes, or a
// channel that came from, or goes, elsewhere, where it may be closed (timer
// channels, of time.Time, never are); when a loop stops on an atomic flag
// (for f.Load() { ... }, or if closed() { return } where closed loads an
// atomic value); or when other code of the package closes (Close, Shutdown,
// Stop, GracefulStop) a value of another package's type that the goroutine
// works on in a loop, or, in a function literal, as a statement of its own
// (if err := srv.Serve(l); ...), or, for a function of another package, that
// it is called on or handed (go srv.Serve(l), go io.Copy(dst, src)).
//
// A goroutine that lives as long as the process by design is left alone: one
// started at most once (in a function passed to (*sync.Once).Do or
// sync.OnceFunc, or under an if that wins a CompareAndSwap), one that waits
// for OS signals, one that unconditionally ends the process (os.Exit,
// log.Fatal), and every goroutine of package runtime. So is a go statement
// in main or init of package main, and go panic(err), a deliberate crash.
//
// A launcher is a function that starts one of its func-typed parameters on a
// goroutine (go f(), or go func() { ...; f() }(), or by calling another
// launcher). It exports a fact saying whether that start is waited for,
// bounded, a daemon or untracked. A call of an untracked launcher is
// reported as untracked at the call site, in every package, unless the
// function passed is itself waited for or bounded, or is a callback the
// caller was handed; the go statement inside the launcher is reported once,
// where it is. Calls of other launchers are silent. In go vet, facts reach
// only direct importers.
//
// A go statement that starts a function value which is not a parameter of
// the spawning function (a hook stored in a field, a callback ranged over or
// type-asserted) is not reported as untracked or unjoined: whoever supplied
// the callback owns it.
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
// counts as assigned in a file compiled for Go older than 1.22 (or of
// unknown version), where one variable serves every iteration; from Go 1.22
// each iteration has its own. A method value is bound whole when evaluating
// it later could differ (a receiver expression, a promoted method, a value
// method through a pointer). A started function literal keeps its body; its
// parameters become locals of the task initialised from the bound arguments
// (converted to the parameter's type where the argument's own type
// differs), and its bare returns return nil. The task's own context
// parameter is _, so it shadows nothing and the started code receives
// exactly the context it received before. task.Go gives the task a context
// of its own that carries the given context's values but not its
// cancellation.
//
// The fix changes only this: the goroutine becomes a task of task's default
// group, so task.Shutdown waits for it (and a task.Go made after
// task.Shutdown has been called does not start it, and logs that); its
// returned error is logged instead of dropped; and a panic in it, including
// calling a nil function value or a method through a nil interface, no
// longer crashes the process: the task ends, the panic is logged as an error
// with its stack, and the program goes on without whatever the goroutine had
// not done yet. The goroutine's label in profiles is its task name.
//
// The fix imports github.com/resilvet/resilvet/runtime/task, so it is
// offered only when the package already depends on the runtime module or
// with -fireforget.runtimefixes (set by resilvet -fix, which also adds the
// requirement to go.mod); otherwise the message still names task.Go. No fix
// is offered when the go statement is labelled, starts a builtin, passes a
// multi-valued call to a function literal with several parameters, passes
// an untyped boolean or shift whose type comes from the parameter, starts a
// function literal whose results are not a lone error, or where task or
// context cannot be named without a second import of the same path; nor
// for launcher calls.
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
// Known limits: a goroutine stopped by a sentinel value sent on its work
// channel, or one that ends when an outside subsystem (tracing) stops, is
// reported; a library that runs the user's callback on a goroutine by
// contract is reported at the callback's launcher.
//
// # Rule unjoined
//
// unjoined: a goroutine that can be stopped but that nothing waits for
//
// The goroutine takes a context or watches a stop channel, so it ends when
// asked to, but nothing waits until it has: shutdown may close what it still
// uses. Off by default: it is a design review rather than a bug report, and
// much library code stops its goroutines this way on purpose.
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
// for is still reported as untracked.
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
// body calls, rather than defers, is not seen. Off by default: other
// linters report it, and many programs rightly prefer a crash to running on
// after a panic. No fix: add the deferred recover, or start the goroutine
// with task.Go.
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
