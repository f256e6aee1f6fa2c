// Package unshielded defines an Analyzer that reports waits and calls that
// ignore the context in scope, and a caller's cancellable context reaching
// work that other callers share.
//
// # Analyzer unshielded
//
// unshielded: report waits and calls that ignore the ctx in scope, and one caller's ctx cancelling shared work
//
// A function that is handed a context.Context promises to stop when it is
// cancelled. A time.Sleep, a (*sync.Cond).Wait or a call without a context
// breaks that promise: the request has timed out, the client has gone, the
// server is shutting down, and the function goes on. The opposite mistake
// is as bad: work shared between callers (a sync.Once, a singleflight
// group) that runs on the first caller's context fails for everyone when
// that one caller gives up.
//
// "ctx in scope" at a position is a context.Context parameter or local
// variable of the innermost enclosing function that is declared before
// the position and not shadowed there, or else r.Context() of an
// *http.Request parameter r; an outer function's ctx counts inside a
// function literal only if the literal runs synchronously (not under go or
// defer, not passed to time.AfterFunc, not stored for later). detached-wait
// and detached-call further require that the ctx carries the caller's
// cancellation: a parameter, r.Context() or another Context() method's
// result, or a context derived from one (context.With…, or any call that is
// given one, as tracer.Start(ctx, …) is). A context the function makes
// afresh — context.WithTimeout(context.Background(), d), a helper's new
// context, a variable declared without a value — bounds the function's own
// calls; a wait that outlasts it delays nobody's cancellation. Where no
// such ctx is in scope both rules are silent: there is nothing to honour.
//
// Not duplicated: go vet's lostcancel (cancel functions never called),
// staticcheck's S1037 (a select with a lone time.After case) and SA1015
// (leaking time.Tick). docs/peers.md compares detached-call with noctx and
// contextcheck.
//
// Fixes change only cancellation, as each rule says: which ctx reaches a
// call, what it returns and the order in which its operands are evaluated
// stay the same, or no fix is offered. The time.Sleep fix imports
// github.com/resilvet/resilvet/runtime/shield; it is offered when that
// package's module is already in the package's import graph, or with
// -unshielded.runtimefixes (set by resilvet -fix, which also adds the
// requirement to go.mod).
//
// # Rule detached-wait
//
// detached-wait: a wait that cancellation of the ctx in scope cannot interrupt
//
// Off by default: its precision on real code is below the 90% bar
// (docs/precision.md). The false positives are waits whose goroutines or
// channels end some other way (a stream that fails when its connection
// closes, workers whose pipe is closed), deliberate pauses (a test child
// that hangs until killed, a grace period after shutdown) and short waits
// in examples. Switch it on with -unshielded.rules=+detached-wait.
//
// With a ctx in scope, these waits go on after ctx is cancelled:
//
//   - time.Sleep(d), and the statement <-time.After(d);
//   - (*sync.Cond).Wait, which nothing but Signal or Broadcast can wake;
//   - a select inside a loop with neither a <-ctx.Done() case (for any
//     context, or a channel that a local variable took from ctx.Done())
//     nor a default case;
//   - (*sync.WaitGroup).Wait, when a goroutine that it joins, started in
//     the same function (go statements that mention the WaitGroup, or run
//     a local literal that does, and wg.Go), receives neither a ctx of the
//     function nor one derived from it: cancelling ctx then stops neither
//     the goroutine nor the wait.
//
// Example:
//
//	// WRONG
//	func poll(ctx context.Context, backoff time.Duration) error {
//		for {
//			if err := check(ctx); err == nil {
//				return nil
//			}
//			time.Sleep(backoff) // time.Sleep is not interrupted when ctx is cancelled: use shield.Sleep(ctx, d)
//		}
//	}
//
//	// RIGHT
//	func poll(ctx context.Context, backoff time.Duration) error {
//		for {
//			if err := check(ctx); err == nil {
//				return nil
//			}
//			if err := shield.Sleep(ctx, backoff); err != nil {
//				return err
//			}
//		}
//	}
//
// Not reported, because cancellation is honoured another way or the wait
// is the point:
//
//   - a constant wait in a loop that checks ctx.Err() or ctx.Done() between
//     waits (a polling interval) or receives from a chan struct{} of the
//     code's own (a stop or done channel, which Stop or Close closes); a
//     constant pause of at most a second in a loop that passes ctx, or a
//     context derived from it, to a call whose result it keeps (the call
//     sees the cancellation within one pause); and a constant pause of at
//     most a second outside any loop; a computed delay (a backoff) is
//     always reported;
//   - code that runs only when ctx.Done() is nil (a context that can never
//     be cancelled);
//   - a select in a loop that also receives from a chan struct{} — a stop or
//     done channel of the code's own — or from a channel fed by a
//     goroutine that receives ctx, or that is bounded by a timer case in a
//     loop that checks ctx;
//   - a Cond handed, with a ctx, to a call that can broadcast it on
//     cancellation (context.AfterFunc(ctx, func() { c.Broadcast() })), or
//     broadcast or signalled by a function literal of the function that
//     sees ctx (go func() { <-ctx.Done(); c.Broadcast() }());
//   - a WaitGroup.Wait that is deferred, or that follows a loop or select
//     watching cancellation, a close(ch) or a cancel(): the join of a
//     shutdown; and one whose goroutines are all started in other
//     functions, where we cannot tell what they receive.
//
// When the function replaced a caller's ctx before the wait with one the
// caller cannot cancel — ctx, cancel = context.WithCancel(context.Background())
// in a block that encloses the wait — the wait is not what cuts the
// caller's cancellation off, and handing it ctx would not help: the
// assignment is reported instead, once, naming the first wait it affects.
// An assignment that may not run (if ctx == nil { ctx = context.Background() })
// does not count.
//
// Fix: the statement time.Sleep(d) or <-time.After(d), in a function whose
// last result is an error, becomes
//
//	if err := shield.Sleep(ctx, d); err != nil {
//		return <zero values>, err
//	}
//
// The only change is that cancellation of ctx ends the wait, and the
// function then returns ctx's error. (The if's err may shadow an outer err;
// its block holds only the return.) Elsewhere — a function without an error
// result, a deferred sleep — there is no fix, and there is none for the
// other waits: a Cond needs a redesign, and shield.Wait(ctx, wg) would
// leave the goroutines running, which the author must decide.
//
// # Rule detached-call
//
// detached-call: a call that cannot be cancelled while a ctx is in scope
//
// Off by default, on in the strict profile: on programs its precision is
// 54% (docs/precision.md, "Programs and libraries"), below the 90% bar.
// The false positives are calls on a connection that a watcher or
// context.AfterFunc closes when ctx is done, and deliberate detachments;
// the debatable ones are instant local commands. Switch it on with
// -unshielded.rules=+detached-call or -unshielded.strict.
//
// With a ctx in scope, a call of a standard-library API that has a
// context-taking twin, or context.Background() or context.TODO() passed as
// a call's context.Context argument, is not cancelled with ctx. The table
// of twins and their rewrites ("none" where the rewrite would change a
// type, a result or more than the call; TestTwinTable checks every row
// against go/types):
//
//	exec.Command(…)              exec.CommandContext(ctx, …)
//	http.NewRequest(…)           http.NewRequestWithContext(ctx, …)
//	http.Get/Head/Post/PostForm  none: NewRequestWithContext and Client.Do
//	(*http.Client).Get/Head/Post/PostForm  none, likewise
//	net.Dial(n, a)               (&net.Dialer{}).DialContext(ctx, n, a)
//	net.DialTimeout(n, a, t)     (&net.Dialer{Timeout: t}).DialContext(ctx, n, a)
//	                             (only when n, a and t have no effects: t moves first)
//	(*net.Dialer).Dial(…)        DialContext(ctx, …)
//	net.LookupAddr/CNAME/Host/MX/NS/Port/SRV/TXT(…)
//	                             net.DefaultResolver.Lookup…(ctx, …)
//	net.LookupIP(host)           none: Resolver.LookupIP(ctx, "ip", host) takes
//	                             another path, LookupIPAddr returns []IPAddr
//	tls.Dial(n, a, cfg)          (&tls.Dialer{Config: cfg}).DialContext(ctx, n, a)
//	tls.DialWithDialer(d, n, a, cfg)
//	                             (&tls.Dialer{NetDialer: d, Config: cfg}).DialContext(ctx, n, a)
//	                             (DialContext returns a net.Conn: only when the result is
//	                             a new variable used as one, n, a and cfg have no effects,
//	                             and d is a &net.Dialer{…} literal, never nil)
//	(*tls.Dialer).Dial(…)        DialContext(ctx, …)
//	(*tls.Conn).Handshake()      HandshakeContext(ctx)
//	(*sql.DB).Begin()            BeginTx(ctx, nil)
//	(*sql.DB|Tx|Stmt).Exec/Query/QueryRow(…)
//	                             ExecContext/QueryContext/QueryRowContext(ctx, …)
//	(*sql.DB|Tx).Prepare(…)      PrepareContext(ctx, …)
//	(*sql.DB).Ping()             PingContext(ctx)
//	(*sql.Tx).Stmt(s)            StmtContext(ctx, s)
//
// (*sql.Conn) has no method without a context, (*sql.Stmt) no Prepare,
// Ping or Begin, (*sql.Tx) no Ping or Begin. net.Listen is left out: its
// context bounds only the setup of the listener. A twin is not reported in
// the package that implements it (CommandContext calls Command), nor when
// the call only builds what waits later (a request, a command) and its
// result is stored in a variable that later meets a context
// (req.WithContext(ctx), client.Do(ctx, req), run(ctx, cmd)) or is returned
// to a caller that may attach its own. A dial or a query has waited by
// the time its result meets a context, and is reported.
//
// Example:
//
//	// WRONG
//	func (s *Store) Count(ctx context.Context) (n int, err error) {
//		err = s.db.QueryRow("SELECT count(*) FROM t").Scan(&n) // (*sql.DB).QueryRow is not cancelled when ctx is: use QueryRowContext(ctx, …)
//		return n, err
//	}
//
//	// RIGHT
//	func (s *Store) Count(ctx context.Context) (n int, err error) {
//		err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n)
//		return n, err
//	}
//
// Background() and TODO() are reported only where the result of the call
// is an error someone looks at, and not where detaching is deliberate: as
// the parent of a new context (the callee returns one: WithTimeout,
// WithCancel, WithValue, tracer.Start…), passed to a call that returns no error or whose error is
// dropped (a logger, an async refresh, a rollback after a failure: they
// cannot report cancellation anyway), in a deferred or go call, inside a
// case <-ctx.Done() or an if that tests ctx.Err(), and after a statement
// that waits for cancellation (<-ctx.Done(), a select or loop whose
// ctx.Done() case does not return) — shutdown code that must outlive the
// ctx. The twins are silent in the same deferred, go and shutdown places.
// There is no fix for Background() and TODO(): whether the callee may
// outlive the caller is for the author to decide.
//
//	// RIGHT
//	func serve(ctx context.Context, srv *http.Server) error {
//		go srv.ListenAndServe()
//		<-ctx.Done()
//		return srv.Shutdown(context.Background()) // after <-ctx.Done(): deliberate
//	}
//
// Fix: the table's rewrite. It changes only that cancellation of ctx now
// reaches the call (CommandContext kills the process, the driver abandons
// the query, the dialer gives up); arguments keep their order, results
// their types. A method of an embedding type that hides the twin, or
// f(xs...) where the rewrite would move arguments, gets no fix.
//
// # Rule shared-work
//
// shared-work: a caller's cancellable ctx reaching work shared with other callers
//
// On by default, unmeasured: the pinned corpora hold one finding, true,
// and none on programs (docs/precision.md, "Programs and libraries"); the
// services of issue 11 held three, all true, once the two shapes below
// were silenced. It needs a cancellable context of the caller to reach a
// literal that a shared-work API runs for others. Work shared among the
// callers of one run or one transaction, which share one ctx in practice,
// is still reported.
//
// The function passed to (*sync.Once).Do, sync.OnceFunc, OnceValue and
// OnceValues, and to Do and DoChan of a singleflight.Group
// (golang.org/x/sync, groupcache, the standard library's copy), runs once
// on behalf of many callers. If it captures a cancellable context of the
// enclosing function, the first caller's cancellation or deadline fails
// the work for every caller that shares it — with a Once, for ever.
// Reported: a context.Context parameter or local of an enclosing function,
// or r.Context() of an *http.Request, used inside the function literal,
// other than as an argument of a log/slog call or of a …FromContext
// extractor (trace spans, metadata), as the receiver of ctx.Value, inside
// context.WithoutCancel or a hand-made context type that declares its own
// Done. For Once.Do and OnceFunc, which return nothing, only when a value
// computed with the ctx is stored where later callers read it (a field, a
// package variable): a Shutdown run once that keeps its error in the
// caller's own variable shares nothing. Not reported either: a ctx made
// inside the shared work, a variable initialised with
// context.Background(), TODO() or WithoutCancel, or with a helper of the
// package whose every return is such a context (package net's
// withUnexpiredValuesPreserved shape: a type embedding Background that
// keeps only the caller's values); a Once or group made after the ctx in
// the same function, or that is a field of a value made after it (c :=
// &client{}; c.once.Do(…)): all who share it share the ctx; and a named
// function passed instead of a literal.
//
//	// WRONG
//	func (c *Client) token(ctx context.Context) (string, error) {
//		v, err, _ := c.flight.Do("token", func() (any, error) {
//			return c.fetch(ctx) // ctx of this caller reaches work that (*singleflight.Group).Do shares with every concurrent caller with the same key: if ctx is cancelled, the work fails for all of them; detach it with context.WithoutCancel, keeping its deadline
//		})
//		...
//	}
//
//	// RIGHT
//	v, err, _ := c.flight.Do("token", func() (any, error) {
//		shared, cancel := context.WithoutCancel(ctx), context.CancelFunc(func() {})
//		if d, ok := ctx.Deadline(); ok {
//			shared, cancel = context.WithDeadline(shared, d)
//		}
//		defer cancel()
//		return c.fetch(shared)
//	})
//
// Better still, shield.Group runs the work on WithoutCancel bounded by its
// own timeout, and lets each caller stop waiting when its own ctx ends.
//
// Fix (files at go1.21 or later, when every reported use is the same
// context variable and the literal's body starts on a line of its own):
// the RIGHT code above. The shared work runs on a context that keeps the
// caller's values (trace ids, credentials) and its deadline, but not its
// cancellation: dropping the deadline with the cancellation would trade
// a poisoned result for an unbounded call. Nothing else changes.
package unshielded
