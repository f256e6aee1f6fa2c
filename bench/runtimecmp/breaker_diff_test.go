package runtimecmp_test

// A differential test of runtime/breaker against sony/gobreaker v2.4.0:
// seeded random sequences of calls, held calls (two-step) and clock moves,
// run through both breakers in a synctest bubble, must give the same state,
// the same counts, the same admissions and refusals and the same state
// changes after every step.
//
// Where the semantics deliberately differ, the sequences are built so that
// the difference cannot show, and it is pinned by its own test instead:
//
//   - The caller's cancellation: runtime/breaker excludes it by itself;
//     gobreaker is given an IsExcluded that excludes context.Canceled, which
//     agrees here because these sequences return Canceled only from
//     cancelled calls. Without it gobreaker counts a failure
//     (TestGapBreakerCancellation).
//   - A full half-open breaker: runtime/breaker refuses with an *OpenError
//     whose State is StateHalfOpen, gobreaker with ErrTooManyRequests; the
//     step compares them as the same refusal.
//   - The instant a timeout or interval ends: runtime/breaker has moved on,
//     gobreaker moves on a nanosecond later (TestDiffBreakerBoundary). The
//     clock here moves in whole milliseconds and every timeout and interval
//     ends on a half millisecond, so no step lands on that instant.
//   - gobreaker's BucketPeriod (a rolling window) has no counterpart, and
//     is left zero.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/sony/gobreaker/v2"
)

var errDep = errors.New("dependency failed")

var diffSeq atomic.Int64

// diffPair is one runtime/breaker and one gobreaker with the same settings.
type diffPair struct {
	ours    *breaker.Breaker
	theirs  *gobreaker.TwoStepCircuitBreaker[any]
	changes [2][]string // state changes seen by each OnStateChange
}

// held is a call let through by both breakers and not yet finished.
type held struct {
	cancel       context.CancelFunc
	ours, theirs func(error)
}

func newDiffPair(t *testing.T, rng *rand.Rand) (*diffPair, string) {
	p := new(diffPair)
	s := breaker.Settings{
		MaxRequests: uint32(rng.IntN(4)),
		Timeout:     time.Duration(1+rng.IntN(50))*10*time.Millisecond + 500*time.Microsecond,
	}
	if rng.IntN(2) == 0 {
		s.Interval = time.Duration(1+rng.IntN(50))*10*time.Millisecond + 500*time.Microsecond
	}
	n := uint32(rng.IntN(4))
	var trip func(breaker.Counts) bool
	var tripName string
	switch rng.IntN(3) {
	case 0:
		tripName = fmt.Sprintf("ConsecutiveFailures > %d", n)
		trip = func(c breaker.Counts) bool { return c.ConsecutiveFailures > n }
	case 1:
		tripName = fmt.Sprintf("Requests >= %d && TotalFailures*2 >= Requests", n+2)
		trip = func(c breaker.Counts) bool { return c.Requests >= n+2 && c.TotalFailures*2 >= c.Requests }
	case 2:
		tripName = "nil (default)"
	}
	s.ReadyToTrip = trip
	s.OnStateChange = func(_ string, from, to breaker.State) {
		p.changes[0] = append(p.changes[0], from.String()+"→"+to.String())
	}
	gs := gobreaker.Settings{
		Name:        "diff",
		MaxRequests: s.MaxRequests,
		Interval:    s.Interval,
		Timeout:     s.Timeout,
		OnStateChange: func(_ string, from, to gobreaker.State) {
			p.changes[1] = append(p.changes[1], from.String()+"→"+to.String())
		},
		IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
	}
	if trip != nil {
		gs.ReadyToTrip = func(c gobreaker.Counts) bool { return trip(breaker.Counts(c)) }
	}
	var err error
	p.ours, err = breaker.Get(fmt.Sprintf("diff#%d", diffSeq.Add(1)), s)
	if err != nil {
		t.Fatal(err)
	}
	p.theirs = gobreaker.NewTwoStepCircuitBreaker[any](gs)
	desc := fmt.Sprintf("MaxRequests %d, Interval %v, Timeout %v, ReadyToTrip %s", s.MaxRequests, s.Interval, s.Timeout, tripName)
	return p, desc
}

// diffStats counts what the sequences exercised, so that the test can show
// it is not vacuous.
type diffStats struct {
	steps, openRefusals, halfOpenRefusals, stale int
	changes                                      map[string]int
}

func TestDiffBreakerAgainstGobreaker(t *testing.T) {
	const seeds, steps = 400, 300
	st := diffStats{changes: map[string]int{}}
	for seed := uint64(1); seed <= seeds; seed++ {
		synctest.Test(t, func(t *testing.T) {
			diffRun(t, seed, steps, &st)
		})
		if t.Failed() {
			return
		}
	}
	t.Logf("%d steps: %d open refusals, %d half-open refusals, %d stale results, changes %v",
		st.steps, st.openRefusals, st.halfOpenRefusals, st.stale, st.changes)
	for _, c := range []string{"closed→open", "open→half-open", "half-open→closed", "half-open→open"} {
		if st.changes[c] < 100 {
			t.Errorf("only %d %s changes: the sequences do not exercise the state machine", st.changes[c], c)
		}
	}
	if st.openRefusals < 1000 || st.halfOpenRefusals < 100 || st.stale < 100 {
		t.Errorf("too few refusals or stale results: %+v", st)
	}
}

func diffRun(t *testing.T, seed uint64, steps int, st *diffStats) {
	rng := rand.New(rand.NewPCG(seed, 0))
	p, desc := newDiffPair(t, rng)
	var inflight []held
	var log []string
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d (%s), step %d: %s\nsteps so far: %v", seed, desc, len(log), fmt.Sprintf(format, args...), log)
	}
	for i := 0; i < steps; i++ {
		st.steps++
		switch k := rng.IntN(10); {
		case k < 3: // a call through Do, against gobreaker's two steps
			outcome, err := diffOutcome(rng)
			ctx, cancel := context.WithCancel(context.Background())
			called := false
			oursErr := p.ours.Do(ctx, func(ctx context.Context) error {
				called = true
				if outcome == "cancelled" {
					cancel()
					return ctx.Err()
				}
				return err
			})
			cancel()
			theirsDone, theirsErr := p.theirs.Allow()
			log = append(log, "do "+outcome)
			if called != (theirsErr == nil) {
				fail("admission differs: ours called fn %v (%v), gobreaker %v", called, oursErr, theirsErr)
			}
			if !called {
				diffRefusals(fail, oursErr, theirsErr, st)
				break
			}
			theirsDone(err)
		case k < 5: // a call held through both breakers' two steps
			ctx, cancel := context.WithCancel(context.Background())
			oursDone, oursErr := p.ours.Allow(ctx)
			theirsDone, theirsErr := p.theirs.Allow()
			log = append(log, "allow")
			if (oursErr == nil) != (theirsErr == nil) {
				cancel()
				fail("admission differs: ours %v, gobreaker %v", oursErr, theirsErr)
			}
			if oursErr != nil {
				cancel()
				diffRefusals(fail, oursErr, theirsErr, st)
				break
			}
			inflight = append(inflight, held{cancel, oursDone, theirsDone})
		case k < 7 && len(inflight) > 0: // finish a held call
			diffFinish(rng, p, &inflight, rng.IntN(len(inflight)), &log, st)
		default: // the clock moves
			d := time.Duration(rng.IntN(60)) * time.Millisecond
			time.Sleep(d)
			log = append(log, "sleep "+d.String())
		}
		oursState, theirsState := p.ours.State(), p.theirs.State()
		if oursState.String() != theirsState.String() {
			fail("state: ours %v, gobreaker %v", oursState, theirsState)
		}
		if oc, tc := p.ours.Counts(), p.theirs.Counts(); oc != breaker.Counts(tc) {
			fail("counts: ours %+v, gobreaker %+v", oc, tc)
		}
		if fmt.Sprint(p.changes[0]) != fmt.Sprint(p.changes[1]) {
			fail("changes: ours %v, gobreaker %v", p.changes[0], p.changes[1])
		}
	}
	for _, c := range p.changes[0] {
		st.changes[c]++
	}
	for _, h := range inflight {
		h.cancel()
	}
}

// diffRefusals checks that both breakers refused for the same reason.
func diffRefusals(fail func(string, ...any), oursErr, theirsErr error, st *diffStats) {
	var oe *breaker.OpenError
	switch {
	case !errors.As(oursErr, &oe):
		fail("ours refused with %v", oursErr)
	case oe.State == breaker.StateOpen && theirsErr == gobreaker.ErrOpenState:
		st.openRefusals++
	case oe.State == breaker.StateHalfOpen && theirsErr == gobreaker.ErrTooManyRequests:
		st.halfOpenRefusals++
	default:
		fail("refusals differ: ours %v, gobreaker %v", oursErr, theirsErr)
	}
}

// diffOutcome picks how a call ends: success, failure or the caller's
// cancellation, with the error each breaker is given.
func diffOutcome(rng *rand.Rand) (string, error) {
	switch rng.IntN(5) {
	case 0, 1:
		return "success", nil
	case 2, 3:
		return "failure", errDep
	}
	return "cancelled", context.Canceled
}

// diffFinish reports the end of held call i to both breakers: a success, a
// failure, or the caller's cancellation. A result that changes neither the
// counts nor the state was ignored, as a call from an earlier generation
// must be; the step's compare shows whether gobreaker ignored it too.
func diffFinish(rng *rand.Rand, p *diffPair, inflight *[]held, i int, log *[]string, st *diffStats) {
	h := (*inflight)[i]
	*inflight = append((*inflight)[:i], (*inflight)[i+1:]...)
	outcome, err := diffOutcome(rng)
	if outcome == "cancelled" {
		h.cancel()
	}
	*log = append(*log, "finish "+outcome)
	before, changes := p.ours.Counts(), len(p.changes[0])
	h.ours(err)
	h.theirs(err)
	h.cancel()
	if p.ours.Counts() == before && len(p.changes[0]) == changes {
		st.stale++
	}
}

// TestDiffBreakerBoundary pins the one difference in timing: at the very
// instant a timeout ends, runtime/breaker has half-opened and gobreaker is
// still open (it half-opens once the expiry is strictly in the past).
func TestDiffBreakerBoundary(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		trip := func(c breaker.Counts) bool { return c.ConsecutiveFailures >= 1 }
		ours, err := breaker.Get(fmt.Sprintf("boundary#%d", diffSeq.Add(1)), breaker.Settings{Timeout: time.Second, ReadyToTrip: trip})
		if err != nil {
			t.Fatal(err)
		}
		theirs := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Timeout: time.Second,
			ReadyToTrip: func(c gobreaker.Counts) bool { return trip(breaker.Counts(c)) }})
		_ = ours.Do(context.Background(), func(context.Context) error { return errDep })
		_, _ = theirs.Execute(func() (any, error) { return nil, errDep })
		time.Sleep(time.Second)
		if o, g := ours.State(), theirs.State(); o != breaker.StateHalfOpen || g != gobreaker.StateOpen {
			t.Errorf("at the timeout: ours %v, gobreaker %v; want half-open and open", o, g)
		}
		time.Sleep(time.Nanosecond)
		if g := theirs.State(); g != gobreaker.StateHalfOpen {
			t.Errorf("1ns later: gobreaker %v, want half-open", g)
		}
	})
}
