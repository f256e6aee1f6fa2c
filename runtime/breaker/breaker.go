package breaker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrOpen is what errors.Is finds in every refusal: the error of a call that
// an open breaker, or a half-open one with every probe slot taken, did not
// let through is an *OpenError, which matches ErrOpen.
var ErrOpen = errors.New("breaker: open")

// An OpenError is the error of a call that the breaker refused.
type OpenError struct {
	Name string // the breaker's name
	// State is StateOpen, or StateHalfOpen when every probe slot is taken.
	State State
	// Remaining is how long an open breaker stays open; zero when half-open.
	Remaining time.Duration
}

func (e *OpenError) Error() string {
	if e.State == StateHalfOpen {
		return fmt.Sprintf("breaker %q is half-open and its probes are all in flight", e.Name)
	}
	return fmt.Sprintf("breaker %q is open for another %v", e.Name, e.Remaining)
}

// Is reports whether target is ErrOpen.
func (e *OpenError) Is(target error) bool { return target == ErrOpen }

// A Breaker is a circuit breaker. Get returns the one for a name.
//
// The zero value is a closed breaker with the zero Settings and no name,
// shared with no one: useful where a single value owns it, and in tests. A
// Breaker must not be copied after first use. All methods are safe for
// concurrent use. A method that changes the state, or finds changes pending
// that no other goroutine is delivering, calls OnStateChange for them before
// it returns (see the package doc); apart from that, only Do, Execute and the
// calls they make block.
type Breaker struct {
	name string
	s    Settings

	mu         sync.Mutex
	state      State
	gen        uint64 // results of calls let through in an earlier generation are ignored
	counts     Counts
	expiry     time.Time // open: when it half-opens; closed with an Interval: when counts clear
	pending    []change  // state changes not yet passed to OnStateChange
	delivering bool      // a goroutine is passing pending to OnStateChange
}

type change struct{ from, to State }

// outcome is how a call's result counts.
type outcome int

const (
	success outcome = iota
	failure
	excluded
)

// Name returns the name the breaker was registered with.
func (b *Breaker) Name() string { return b.name }

// State returns the breaker's current state. An open breaker whose timeout
// has passed half-opens here: time alone changes nothing until someone looks.
func (b *Breaker) State() State {
	b.mu.Lock()
	b.advance()
	s := b.state
	b.unlock()
	return s
}

// Counts returns the breaker's current counts, after applying any change
// that time alone makes (see State).
func (b *Breaker) Counts() Counts {
	b.mu.Lock()
	b.advance()
	c := b.counts
	b.unlock()
	return c
}

// Do calls fn with ctx if the breaker lets the call through, counts its
// result (see the package doc for what counts) and returns fn's error. It
// blocks for as long as fn does. If the breaker refuses the call, Do returns
// an *OpenError without calling fn; if ctx is already done, ctx.Err(). A
// panic in fn counts as a failure and goes on. Do panics with
// "breaker: nil fn" if fn is nil.
func (b *Breaker) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	if fn == nil {
		panic("breaker: nil fn")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	gen, err := b.before()
	if err != nil {
		return err
	}
	returned := false
	defer func() {
		if !returned { // a panic or runtime.Goexit: the call did not succeed
			b.after(gen, failure)
		}
	}()
	err = fn(ctx)
	o := b.classify(ctx, err)
	returned = true
	b.after(gen, o)
	return err
}

// Execute is Do for a call with a result: it returns fn's result, or the
// zero T and an *OpenError (or ctx.Err()) if fn was not called. It panics
// with "breaker: nil fn" if fn is nil.
func Execute[T any](ctx context.Context, b *Breaker, fn func(ctx context.Context) (T, error)) (T, error) {
	if fn == nil {
		panic("breaker: nil fn")
	}
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	gen, err := b.before()
	if err != nil {
		return zero, err
	}
	returned := false
	defer func() {
		if !returned {
			b.after(gen, failure)
		}
	}()
	v, err := fn(ctx)
	o := b.classify(ctx, err)
	returned = true
	b.after(gen, o)
	return v, err
}

// Allow is the two-step form of Do, for callers that cannot wrap the call in
// a function (a stream, a callback API). It does not block. If the breaker
// lets the call through, Allow returns done, which the caller must call
// exactly once with the call's error; ctx is the call's context, consulted
// by done to tell the caller's cancellation from a failure. If the breaker
// refuses the call, Allow returns a nil done and an *OpenError; if ctx is
// already done, ctx.Err().
//
// A done that is never called keeps a half-open breaker's probe slot until
// the breaker changes state some other way (ForceOpen, Reset, Restore).
// Calling done twice panics with "breaker: done called twice".
func (b *Breaker) Allow(ctx context.Context) (done func(err error), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gen, err := b.before()
	if err != nil {
		return nil, err
	}
	called := false
	return func(err error) {
		o := b.classify(ctx, err)
		b.mu.Lock()
		if called {
			b.mu.Unlock()
			panic("breaker: done called twice")
		}
		called = true // under b.mu, so that concurrent misuse is caught too
		b.record(gen, o)
		b.unlock()
	}, nil
}

// ForceOpen opens the breaker for d from now, or for its Timeout if d is zero
// or less, replacing any open time it had left. It does not block. Calls let
// through before it no longer count; after d the breaker half-opens as usual.
func (b *Breaker) ForceOpen(d time.Duration) {
	if d <= 0 {
		d = b.s.timeout()
	}
	b.mu.Lock()
	b.advance() // an open breaker whose time is up half-opens first, as observers would see
	now := time.Now()
	if b.state == StateOpen {
		b.newGeneration(now)
	} else {
		b.setState(StateOpen, now)
	}
	b.expiry = now.Add(d)
	b.unlock()
}

// Reset closes the breaker and clears its counts. It does not block. Calls let
// through before it no longer count.
func (b *Breaker) Reset() {
	b.mu.Lock()
	b.advance()
	if b.state == StateClosed {
		b.newGeneration(time.Time{})
	} else {
		b.setState(StateClosed, time.Time{})
	}
	b.unlock()
}

// classify tells how a call's result counts. It runs the Settings' funcs,
// so it is called without the lock.
func (b *Breaker) classify(ctx context.Context, err error) outcome {
	if err != nil && errors.Is(ctx.Err(), context.Canceled) &&
		(errors.Is(err, context.Canceled) || errors.Is(err, context.Cause(ctx))) {
		return excluded // the caller gave up: not the dependency's doing
	}
	if b.s.IsExcluded != nil && b.s.IsExcluded(err) {
		return excluded
	}
	if b.s.IsSuccessful != nil {
		if b.s.IsSuccessful(err) {
			return success
		}
		return failure
	}
	if err == nil {
		return success
	}
	return failure
}

// before lets a call through, returning its generation, or refuses it.
func (b *Breaker) before() (uint64, error) {
	b.mu.Lock()
	now := b.advance()
	var err error
	switch {
	case b.state == StateOpen:
		err = &OpenError{Name: b.name, State: StateOpen, Remaining: b.expiry.Sub(now)}
	case b.state == StateHalfOpen && b.counts.Requests-min(b.counts.TotalExclusions, b.counts.Requests) >= b.s.maxRequests():
		err = &OpenError{Name: b.name, State: StateHalfOpen}
	default:
		b.counts.Requests++
	}
	gen := b.gen
	b.unlock()
	return gen, err
}

// after counts the result of a call let through in generation gen.
func (b *Breaker) after(gen uint64, o outcome) {
	b.mu.Lock()
	b.record(gen, o)
	b.unlock()
}

// record is after with the lock held.
func (b *Breaker) record(gen uint64, o outcome) {
	now := b.advance()
	if gen != b.gen {
		return // the breaker changed state or window since the call began
	}
	c := &b.counts
	switch o {
	case excluded:
		c.TotalExclusions++
	case success:
		c.TotalSuccesses++
		c.ConsecutiveSuccesses++
		c.ConsecutiveFailures = 0
		if b.state == StateHalfOpen && c.ConsecutiveSuccesses >= b.s.maxRequests() {
			b.setState(StateClosed, now)
		}
	case failure:
		switch b.state {
		case StateClosed:
			c.TotalFailures++
			c.ConsecutiveFailures++
			c.ConsecutiveSuccesses = 0
			if b.readyToTrip(*c) {
				b.setState(StateOpen, now)
			}
		case StateHalfOpen:
			b.setState(StateOpen, now)
		}
	}
}

func (b *Breaker) readyToTrip(c Counts) bool {
	if b.s.ReadyToTrip == nil {
		return c.ConsecutiveFailures > 5
	}
	return b.s.ReadyToTrip(c)
}

// advance makes the changes that time alone makes: an open breaker whose
// timeout has passed half-opens; a closed one whose interval has passed
// clears its counts. It reads the clock only when one is due, so a closed
// breaker without an Interval never does, and returns what it read (or the
// zero Time).
func (b *Breaker) advance() time.Time {
	if b.expiry.IsZero() {
		return time.Time{}
	}
	now := time.Now()
	if now.Before(b.expiry) {
		return now
	}
	if b.state == StateOpen {
		b.setState(StateHalfOpen, now)
	} else {
		b.newGeneration(now)
	}
	return now
}

// setState moves the breaker to state to, which must differ from its
// current state, and queues the change for OnStateChange. now may be zero
// if the clock has not been read.
func (b *Breaker) setState(to State, now time.Time) {
	from := b.state
	b.state = to
	b.newGeneration(now)
	if b.s.OnStateChange != nil {
		b.pending = append(b.pending, change{from, to})
	}
}

// newGeneration clears the counts, ignores the results of calls in flight and
// sets when time next changes the breaker. now may be zero if the clock has
// not been read.
func (b *Breaker) newGeneration(now time.Time) {
	b.gen++
	b.counts = Counts{}
	b.expiry = time.Time{}
	var d time.Duration
	switch b.state {
	case StateOpen:
		d = b.s.timeout()
	case StateClosed:
		d = b.s.interval()
	}
	if d > 0 {
		if now.IsZero() {
			now = time.Now()
		}
		b.expiry = now.Add(d)
	}
}

// unlock releases b.mu, first passing any pending state changes to
// OnStateChange, without the lock, in order. Only one goroutine delivers at a
// time; one that finds another delivering leaves its changes to it, which
// keeps the order and lets a callback call back into the breaker.
func (b *Breaker) unlock() {
	if b.delivering || len(b.pending) == 0 {
		b.mu.Unlock()
		return
	}
	b.delivering = true
	for len(b.pending) > 0 {
		c := b.pending[0]
		b.pending = b.pending[1:]
		b.mu.Unlock()
		b.deliver(c)
		b.mu.Lock()
	}
	b.pending = nil
	b.delivering = false
	b.mu.Unlock()
}

// deliver calls OnStateChange for c. If the callback panics, the panic goes
// on up the caller's stack, and the next goroutine to unlock delivers the
// changes that remain.
func (b *Breaker) deliver(c change) {
	returned := false
	defer func() {
		if !returned {
			b.mu.Lock()
			b.delivering = false
			b.mu.Unlock()
		}
	}()
	b.s.OnStateChange(b.name, c.from, c.to)
	returned = true
}
