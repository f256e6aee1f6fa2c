// Package swallowcancel defines an Analyzer that reports error handling
// that swallows the cancellation of a context.
//
// # Analyzer swallowcancel
//
// swallowcancel: report error handling that swallows the cancellation of a context
//
// A handler that catches every error — logs it and goes round the loop
// again, returns nil, falls back — catches cancellation too. The request
// is gone or the service is shutting down, and the code goes on working
// for nobody: a loop spins on a context that fails every call at once,
// shutdown waits for it, and a cancelled operation is reported as a
// success. The rules look for the Go shapes of that mistake.
//
// A "ctx error" is the error of a call that is given a context that can
// be cancelled while the function runs: a context.Context parameter or
// local variable, r.Context() of an *http.Request, a context.Context field
// of a local value (a component's own context, s.ctx), or a context
// derived from one of those. A context nothing cancels —
// context.Background(), TODO(), context.WithoutCancel(ctx), or WithCancel
// or WithValue of those — gives no ctx error. Not a ctx error either, a
// known limit: the error of a call on a value made with a context (ev,
// err := stream.Recv() after stream, err := client.Watch(ctx)); some such
// values end with the context (gRPC streams), others only used it to be
// made (a connection, a consumer), and types do not say which.
//
// The rules follow the paths of the function's control-flow graph from the
// branch taken when the error is not nil (or from the body of a case
// <-ctx.Done()). A path is fine when it returns the error (wrapped or not,
// or kept in a variable that is returned), returns at all, ends the
// process or panics (including through a function of the same package
// that always does), or looks at cancellation first: ctx.Err(),
// context.Cause, errors.Is(err, context.Canceled) or DeadlineExceeded,
// cancel.Is, cancel.Of, gRPC's codes.Canceled, a select or receive on
// ctx.Done() or on a stop channel (a chan struct{}), or a call given the
// context whose error is returned (after cancellation it fails too, and
// the code leaves). A branch on which the code has classified the error
// (errors.Is(err, ErrNotFound), isTemporary(err), a type switch), on which
// another error is nil (a fallback worked), or that tests a variable the
// handling set (failures > 3, for !stopped, attempt++ in the loop's post
// statement) is left to the code's own judgement.
//
// Fixes insert a guard at the start of the handling, naming the context
// the code works for: the one the failing call was given, or, when that is
// a deadline the code set on a context it was given (attempt, cancel :=
// context.WithTimeout(ctx, d)), that context — past the attempt's own
// deadline the code may retry, past the parent's cancellation it may not.
// With the runtime (its module already in the import graph, or
// -swallowcancel.runtimefixes, which resilvet -fix sets and then adds the
// requirement to go.mod) the guard is
//
//	if cancel.Of(ctx, err) {
//		return zero, …, err
//	}
//
// and without it the standard library's
//
//	if ctx.Err() != nil {
//		return zero, …, err
//	}
//
// Inside the handling err is not nil, so both hold exactly when ctx is
// done. The only change is that a failure after ctx has ended returns err
// to the caller — before any logging or retrying of the old handling —
// instead of being handled; while ctx is live, nothing changes, even for
// an error that wraps context.DeadlineExceeded (a per-attempt timeout, a
// dialer's Timeout). There is no fix where the function does not return
// an error last, where a zero value cannot be written, or where err or the
// context is shadowed at the handling. cancel.Of and cancel.Err are in
// github.com/resilvet/resilvet/runtime/cancel.
//
// Not duplicated: staticcheck's SA4011 (an ineffective break in a select
// or switch case directly inside a loop) already reports the case
// <-ctx.Done(): break that leaves only the select; done-ignored leaves that
// shape to it. errorlint reports == comparisons with any error; compare
// reports only those with context.Canceled and DeadlineExceeded, and
// allows the same ctx.Err() comparisons errorlint allows. nilerr reports
// return nil on any error; nil-on-cancel only for ctx errors.
//
// The strict profile (-swallowcancel.strict), a team's policy that
// cancellation is never swallowed, also reports swallowed errors in loops
// that end by themselves (a range over a list, a for with a condition:
// after cancellation each remaining call fails at once, and the loop ends)
// unless the errors are kept, and handling after which the code goes on to
// other work with the same context.
//
// # Rule swallowed
//
// swallowed: a ctx error handled in a loop that only a return or break ends, which then goes round again
//
// A loop with no condition (for { … }) that handles a ctx error and goes
// on, with no look at cancellation on the way back to the failing call,
// goes on for ever once ctx is cancelled: the call fails at once, the
// handler logs, the loop goes round, and shutdown waits.
//
//	// WRONG
//	func (w *Worker) Run(ctx context.Context) error {
//		for {
//			job, err := w.queue.Pop(ctx)
//			if err != nil { // the error of w.queue.Pop, which is given ctx, is handled and the loop goes on, also once ctx is cancelled: return it when cancel.Of(ctx, err)
//				log.Printf("pop: %v", err)
//				continue
//			}
//			w.handle(job)
//		}
//	}
//
//	// RIGHT
//	if err != nil {
//		if cancel.Of(ctx, err) {
//			return err
//		}
//		log.Printf("pop: %v", err)
//		continue
//	}
//
// Not reported: a handling outside any loop, or in a loop that ends by
// itself (reported in the strict profile); a loop whose per-attempt
// context is made afresh in the loop from one nothing cancels; a handling
// preceded, between the call and its check, by a look at cancellation.
//
// # Rule done-ignored
//
// done-ignored: a case <-ctx.Done() that does not leave the loop around its select
//
// Once a context is done, its Done channel is ready for ever: an arm that
// neither returns, breaks out of the loop (a labelled break), sets
// something the loop then tests, nor otherwise leaves, is taken again each
// time round — the loop spins.
//
//	// WRONG
//	for {
//		select {
//		case <-ctx.Done(): // case <-ctx.Done() does not leave the loop: once the context is cancelled the select takes it again and again; return ctx.Err() or break out of the loop
//			log.Print("stopping")
//		case j := <-jobs:
//			work(j)
//		}
//	}
//
//	// RIGHT
//	case <-ctx.Done():
//		log.Print("stopping")
//		return ctx.Err()
//
// Not reported: SA4011's lone break (see above); an arm that sets the
// channel to nil or replaces the context (done = nil, also through a local
// closure), or after which the path takes a new context (ctx := c.ctx at
// the top of the loop, the next element of a range); an arm that closes,
// or calls a method of the owner of, a channel another case waits for
// (pc.cancelRequest(err) with a case <-pc.closech); a path that reaches a
// call given the same context that returns an error (its failure is a ctx
// error, which swallowed judges), or a condition on another case's channel
// (if len(msgs) == 0: the loop drains it); a Done channel of a context
// nothing cancels (its Done is nil).
//
// Fix: the arm leaves the loop as its other exits do. When code after the
// loop can run, the loop gets a label (unless it has one) and the arm ends
// with break label, after its own statements (replacing a continue or
// break that ends it); when it cannot, the arm ends with return, or return
// zero, …, ctx.Err() in a function that returns an error last. No fix for
// a select in nested loops (which one to leave is for the author), an arm
// with other branches, or a context written as more than names.
//
// # Rule nil-on-cancel
//
// nil-on-cancel: a ctx error answered with zero values and a nil error
//
//	// WRONG
//	func (s *Store) Load(ctx context.Context, k string) ([]byte, error) {
//		v, err := s.db.Get(ctx, k)
//		if err != nil {
//			log.Printf("get %s: %v", k, err)
//			return nil, nil // nil error returned when s.db.Get fails, also when ctx is cancelled: the caller sees success for work that was not done; return the error when cancel.Of(ctx, err)
//		}
//		return v, nil
//	}
//
// Reported only within the handling, when every other result is written
// as a zero value, for a context the caller can cancel (a parameter,
// r.Context(), or one derived from them). Not reported: a value returned
// instead (a cached copy), an error kept or handed to a function other
// than a logger (s.onError(err)), a classified error.
//
// # Rule compare
//
// compare: err == context.Canceled (or DeadlineExceeded, or !=, or a case of switch err) on an error that may wrap it
//
//	// WRONG
//	if err == context.Canceled { // == context.Canceled is false for an error that wraps it: use errors.Is
//		return nil
//	}
//
//	// RIGHT
//	if errors.Is(err, context.Canceled) {
//		return nil
//	}
//
// Not reported: ctx.Err() or context.Cause(ctx) compared, directly or
// through a variable given nothing else (errorlint allows them too); a
// value whose type is not an error (an any, which errors.Is cannot be
// given); an error the code unwrapped itself (errors.Unwrap, an Unwrap method); the
// target of an Is method; a switch that translates the sentinels and
// returns any other error as it is in its default case.
//
// Fix (files at go1.13 or later): x == context.Canceled becomes
// errors.Is(x, context.Canceled), != becomes !errors.Is; switch err { … }
// becomes switch { … } with errors.Is(err, context.Canceled) for the
// sentinels' cases and err == v for the others (only when err is a plain
// name, evaluated once per case now). The comparison then also holds for
// errors that wrap the sentinel or whose Is method says they match it (the
// net package's timeouts match DeadlineExceeded); nothing else changes.
package swallowcancel
