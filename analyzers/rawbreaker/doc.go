// Package rawbreaker defines an Analyzer that reports circuit breakers
// that share no state — hand-rolled, from a second library, or made anew
// for every call — and retry loops whose delay grows with no jitter.
//
// # Analyzer rawbreaker
//
// rawbreaker: report rogue circuit breakers and retries that back off in lockstep
//
// A circuit breaker protects a dependency only if every caller of that
// dependency goes through the same breaker: each breaker sees only its own
// callers' failures, so one that has tripped does not stop the callers of
// another. A codebase with several breaker implementations has, in effect,
// none that can see an outage whole, and each implementation has bugs of
// its own. A program should keep one breaker per dependency, of one
// package: github.com/resilvet/resilvet/runtime/breaker, whose Get returns
// the one breaker of a name, or the package the -rawbreaker.canonical flag
// names (a comma-separated list of import paths; a path covers the
// packages below it, so github.com/sony/gobreaker covers its v2).
//
// Retrying with a delay that doubles is right; retrying with a delay that
// doubles and has no random term is not: clients that failed together —
// because the dependency went down under all of them at once — wait the
// same times and retry together, in lockstep, each time it comes back.
//
// The fixes import github.com/resilvet/resilvet/runtime/breaker or
// github.com/resilvet/resilvet/runtime/retry. They are offered when that
// module is already in the package's import graph, or with
// -rawbreaker.runtimefixes (set by resilvet -fix, which also adds the
// requirement to go.mod), and only in files compiled with Go 1.21 or later
// (the runtime module's go line). Each changes only what its rule names.
//
// # Rule handrolled
//
// handrolled: a type that implements circuit-breaker state by hand
//
// Off by default, and on in the strict profile (-rawbreaker.strict):
// replacing a working breaker is a team's policy, not a bug every
// maintainer would accept.
//
// A struct type, outside the canonical package and the breaker libraries
// foreign knows, that holds the three parts of a breaker: a state with
// closed and open values (a field of a named integer or string type whose
// constants include a closed and an open one; an integer or sync/atomic
// integer field that the type's methods set or compare to such constants;
// or a bool field named open or tripped), failures counted against a
// threshold (an integer field named for failures or errors, in the type or
// in a struct field of it, that a method of the type compares, or a func
// field named for tripping), and a time to reset (a time.Time,
// time.Duration or *time.Timer field). A connection's or a stream's open
// and closed states lack the failure count or the reset time, and are not
// reported. Test files are no part of the program, and their types are
// not counted.
//
// Each finding names the program's other hand-rolled breakers that its
// package can see (its own and those of the packages it imports). A main
// package whose program holds hand-rolled breakers in packages that do not
// all see one another is reported at func main, with every one of them.
//
//	// WRONG
//	type vmBreaker struct { // type vmBreaker is a hand-rolled circuit breaker (state in state, failures counted against a threshold, a time to reset): its callers share no state with any other breaker of the program; keep one breaker per dependency with breaker.Get(name, settings)
//		state    state
//		failures int
//		openedAt time.Time
//	}
//
//	// RIGHT
//	vmapi, err := breaker.Get("vmapi", breaker.Settings{Timeout: 30 * time.Second})
//
// There is no fix: a hand-rolled breaker's semantics are its own.
//
// # Rule foreign
//
// foreign: a circuit breaker of another library than the canonical one
//
// Off by default, and on in the strict profile (-rawbreaker.strict): it
// states a team's choice of one breaker package.
//
// A call, outside the canonical package, that makes a breaker of
// github.com/sony/gobreaker (v1 and v2), github.com/afex/hystrix-go,
// github.com/rubyist/circuitbreaker, github.com/mercari/go-circuitbreaker,
// github.com/eapache/go-resiliency/breaker or failsafe-go's circuitbreaker,
// or, when the canonical package is another, the runtime's breaker.Get:
// their constructors, and hystrix's ConfigureCommand, Configure, Do, DoC,
// Go and GoC, which use the breaker hystrix keeps for a command name.
//
//	// WRONG
//	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "vmapi"}) // gobreaker.NewCircuitBreaker makes a circuit breaker of github.com/sony/gobreaker/v2, not of the canonical breaker package: breakers of different libraries share no state and count failures differently; keep one breaker per dependency with breaker.Get(name, settings)
//
//	// RIGHT
//	cb, err := breaker.Get("vmapi", breaker.Settings{})
//
// There is no fix: the libraries' breakers have other types and refuse
// calls with other errors (gobreaker.ErrOpenState against an
// *breaker.OpenError), so every use of the breaker and of its errors would
// change with it.
//
// # Rule per-call
//
// per-call: a circuit breaker made for one call, whose state never accumulates
//
// Off by default: on the real code it was measured on it found too few
// breakers to measure its precision (docs/precision.md). It is on in the
// strict profile (-rawbreaker.strict), or with -rawbreaker.rules=+per-call.
//
// A breaker made inside a function, held only by a local variable that
// nothing else keeps — not returned, stored, passed to another function
// (but breaker.Execute and failsafe-go's executors, which run one call
// through it) nor captured by a function literal — and used only where
// every loop around the use also makes it anew. Such a breaker sees one
// call, or a few, and is dropped: its counts start from zero each time and
// it never opens. Breakers of the libraries foreign knows, the runtime's
// zero Breaker, and the hand-rolled breakers handrolled finds (made by a
// composite literal, new, or a function named New… of their package) are
// followed. hystrix's commands, the runtime's registry and gobreaker's
// distributed breaker keep their state elsewhere and are not reported.
//
//	// WRONG
//	func handler(w http.ResponseWriter, r *http.Request) {
//		cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "api"}) // circuit breaker made by gobreaker.NewCircuitBreaker serves only this call: its counts start from zero each time, so it never opens; keep one per dependency with breaker.Get(name, settings)
//		v, err := cb.Execute(fetch)
//		…
//	}
//
//	// RIGHT
//	func handler(w http.ResponseWriter, r *http.Request) {
//		cb, _ := breaker.Get("example.com/app.handler.cb", breaker.Settings{})
//		v, err := breaker.Execute(context.Background(), cb, func(context.Context) (any, error) { return fetch() })
//		…
//	}
//
// The fix shares the breaker through breaker.Get under a name of its own,
// the package path, the function and the variable ("example.com/app.handler.cb"),
// so that its state now accumulates across calls and it can open: that is
// the change. Get's error is discarded, because it reports only a second
// Get of the same name with other settings, and the settings at this name
// are always these. It is offered for the runtime's zero Breaker (var b
// breaker.Breaker, &breaker.Breaker{}, new(breaker.Breaker); &b becomes b),
// and for gobreaker's NewCircuitBreaker (v1 or v2) when its settings are a
// literal that maps one to one onto breaker.Settings — a constant Name
// (dropped: the registry names the breaker), constant MaxRequests,
// Interval and Timeout, no BucketPeriod and no OnStateChange, IsSuccessful
// and IsExcluded that capture nothing of the call, and a ReadyToTrip
// literal that captures nothing and reads only the counts both Counts
// types share (its parameter's type becomes breaker.Counts) — and its one
// use is an Execute of a function literal or of a named function. The
// Execute becomes breaker.Execute with context.Background(), which is never
// cancelled, as gobreaker's Execute has no context: the function is called
// and its result counted as before. Other breakers get no fix.
//
// # Rule no-jitter
//
// no-jitter: a retry delay that grows exponentially with no random term
//
// Off by default: its precision on real code is below the 90% bar
// (docs/precision.md). The false positives are waits on something local
// that syntax cannot tell from a dependency many clients share: room in a
// queue of the process, a child process that is restarted, writes to
// coalesce. It is on in the strict profile (-rawbreaker.strict), whose
// policy is that every retry is jittered, or with
// -rawbreaker.rules=+no-jitter.
//
// A wait — time.Sleep, time.After, time.NewTimer, time.AfterFunc,
// (*time.Timer).Reset, shield.Sleep, or a clock's Sleep, After, NewTimer or
// AfterFunc method whose first parameter is a time.Duration — whose delay
// grows exponentially from one retry to the next: a variable the delay is
// computed from is multiplied by a factor above one, shifted left or
// doubled (d *= 2, d <<= 1, d = min(d*2, max), d += d) in a loop around the
// wait, or the delay is a shift or power whose exponent is a loop variable,
// a variable a loop around the wait assigns, or a parameter (1<<attempt,
// base << n, math.Pow(2, n), math.Exp2(n)). It is not reported when a
// random term may flow into the delay: a call of math/rand, math/rand/v2,
// crypto/rand, hash/maphash or time.Now, a function of the package that
// makes one, a func value, or a function of another module (such as
// retry.Jitter), whose body the analyzer does not see. A constant interval
// and a linear backoff are not reported, nor are accept loops (a loop that
// calls an Accept method returning a connection backs off the process's own
// listener, not a shared dependency) and code for tests (packages named
// like httptest, …testing or …testutil; files that import testing or are
// named test….go, …testing.go or …testutil.go; _test.go files are
// reported with -rawbreaker.tests).
//
// Backoff libraries configured without jitter are reported too: a
// cenkalti/backoff ExponentialBackOff literal with a Multiplier above one
// and no RandomizationFactor (or zero), an assignment of zero to its
// RandomizationFactor, backoff.WithRandomizationFactor(0); a
// jpillora/backoff Backoff literal (whose Factor defaults to 2) without
// Jitter: true, or Jitter = false; a k8s.io/apimachinery wait.Backoff or a
// grpc backoff.Config literal with a factor above one and no jitter —
// unless the package sets the jitter field elsewhere.
//
//	// WRONG
//	for attempt := 0; ; attempt++ {
//		if err := createVM(ctx); err == nil {
//			return nil
//		}
//		time.Sleep(time.Duration(1<<attempt) * time.Second) // retry delay grows exponentially (1<<attempt) with no jitter: clients that failed together retry together, and stampede the dependency each time it comes back; wait retry.Jitter(time.Duration(1<<attempt) * time.Second)
//	}
//
//	// RIGHT
//	time.Sleep(retry.Jitter(time.Duration(1<<attempt) * time.Second))
//
// The fix wraps the delay in retry.Jitter, when it is a time.Duration:
// each wait becomes a random duration in [0, d) ("full jitter"), half the
// delay on average; that is the change. The libraries' configurations get
// no fix: the message says which field to set. A loop is not rewritten to
// retry.Do, whose attempts, cancellation and error differ from the loop's.
package rawbreaker
