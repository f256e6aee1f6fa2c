// Package breaker provides the one circuit breaker of a program: named,
// shared through a registry, and in the vocabulary Go users know from
// github.com/sony/gobreaker — [Settings], [Counts], [State].
//
//	b, err := breaker.Get("vmapi", breaker.Settings{Timeout: 30 * time.Second})
//	if err != nil {
//		log.Print(err) // another Get("vmapi", ...) configured it differently
//	}
//	err = b.Do(ctx, func(ctx context.Context) error {
//		return vmapi.Start(ctx, id)
//	})
//	if errors.Is(err, breaker.ErrOpen) {
//		// refused without calling the VM API
//	}
//
// A closed breaker lets calls through and counts their results; when
// Settings.ReadyToTrip says so after a failure, it opens and refuses calls
// with an [*OpenError] (errors.Is(err, ErrOpen)) that says how long it stays
// open. After Settings.Timeout it half-opens and lets Settings.MaxRequests
// probe calls through: as many consecutive successes close it, one failure
// opens it again.
//
// # What counts
//
// A call's result is classified once fn returns, in this order:
//
//  1. Excluded — neither a success nor a failure — if the caller's ctx was
//     cancelled (ctx.Err() is context.Canceled) by the time fn returned and
//     fn's error is that cancellation (errors.Is(err, context.Canceled) or
//     errors.Is(err, context.Cause(ctx))). The caller gave up; that says
//     nothing about the dependency. A ctx that reached its deadline is not
//     excluded: a dependency that cannot answer within its callers' deadlines
//     is failing them, and a hung dependency — the outage breakers exist for —
//     must be able to trip the breaker. Set IsExcluded to exclude deadlines
//     too.
//  2. Excluded if Settings.IsExcluded(err) reports true.
//  3. A success if Settings.IsSuccessful(err) reports true (by default: err
//     is nil), otherwise a failure. A panic or runtime.Goexit in fn is a
//     failure; the panic goes on up the caller's stack.
//
// An excluded probe frees its half-open slot for another caller. A Do whose
// ctx is already done returns ctx.Err() without calling fn or taking a slot.
//
// # State changes
//
// Settings.OnStateChange is called for every change of state, outside the
// breaker's lock, one call at a time per breaker, in the order the changes
// happened: a callback may call any method of the breaker, including ones
// that change its state again (that change is delivered after the current
// callback returns). A change is delivered by the goroutine that made it, or,
// if another goroutine is already delivering earlier changes, by that one.
//
// # Surviving a restart
//
// [Breaker.Snapshot] returns the state as a plain struct that encodes with
// encoding/json, and [Breaker.Restore] puts it back, in this process or the
// next. While running, a breaker times its open state on the monotonic clock,
// so a stepped wall clock neither shortens nor extends it. A restart loses
// the monotonic clock, so a Snapshot records how long the breaker had left to
// stay open (OpenFor) and when, by the wall clock, it was taken (Taken);
// Restore subtracts the time since Taken (measured on the monotonic clock if
// the Snapshot was taken by this process and not encoded, since encoding
// strips the monotonic reading). It never extends the open time: a wall clock
// that went backwards counts as no time passed, so the breaker stays open for
// at most OpenFor; one that jumped forward half-opens it early, which costs
// one probe.
//
// # One breaker per dependency
//
// [Get] returns the one breaker for a name, so every caller of a dependency
// shares its state. The post-mortem this package comes from found five
// competing circuit-breaker implementations in one codebase, none sharing
// state: each saw only its own callers' failures, and a dependency that one
// had tripped on went on being called through the others. Settings are compared when a name is asked for again; see Get.
//
// # Why not gobreaker
//
// sony/gobreaker v2.4.0 has the right model, and this package keeps its
// vocabulary and its state machine, but bench/runtimecmp's gap tests measure
// what a service needs and it does not do:
//
//   - Its Execute takes no context, so it counts the caller's own
//     cancellation as a failure of the dependency: six clients that go away
//     trip a breaker with the default ReadyToTrip (TestGapBreakerCancellation).
//     Its IsExcluded sees only the error, not whose cancellation it was.
//   - Its CircuitBreaker cannot be restored after a restart: its only methods
//     are Name, State, Counts and Execute (TestGapBreakerNoRestore). Its
//     DistributedCircuitBreaker keeps state in a store, but holds the store's
//     lock for the whole of each request, so the requests of one process to
//     one dependency run one at a time (TestGapBreakerDistributedSerializes).
//   - It calls OnStateChange with its mutex held: a callback that asks the
//     breaker for its State deadlocks (TestGapBreakerCallbackDeadlock).
//   - A request that ends in runtime.Goexit (t.FailNow in a test) keeps its
//     half-open slot for ever, so the breaker refuses every later call
//     (TestGapBreakerGoexit).
//   - Its open error is a bare sentinel, with no time left to wait.
//
// Deliberate differences in behaviour, each pinned by bench/runtimecmp's
// differential test against gobreaker: the exclusion of the caller's
// cancellation (above); a full half-open breaker refuses with an *OpenError
// (State StateHalfOpen) rather than a separate ErrTooManyRequests, so that
// one errors.Is check covers every refusal; a timeout or interval ends at its
// very instant, where gobreaker waits for the next nanosecond;
// Interval is a fixed window (no BucketPeriod rolling window); and the name
// is Get's argument, not a Settings field.
//
// A call through a closed breaker allocates nothing and, without an
// Interval, reads no clock; a refusal allocates its *OpenError (32 bytes).
// docs/performance.md ("Runtime: breaker") compares the cost with
// gobreaker's.
package breaker
