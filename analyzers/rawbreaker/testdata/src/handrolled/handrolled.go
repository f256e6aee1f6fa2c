package handrolled // want package:"breakers\\(handrolled.Breaker,handrolled.flaky,handrolled.generated,handrolled.rolling,handrolled.tripwire\\)"

import (
	"sync"
	"sync/atomic"
	"time"
)

type State int

const (
	StateClosed State = iota
	StateHalfOpen
	StateOpen
)

// Breaker is the post-mortem's shape: a named state, a failure counter
// and a time to reset.
type Breaker struct { // want `type Breaker is a hand-rolled circuit breaker \(state in state, failures counted against a threshold, a time to reset\): its callers share no state with any other breaker of the program; keep one breaker per dependency with breaker.Get\(name, settings\) \(this program has 4 more: flaky, generated, rolling, tripwire\)`
	mu        sync.Mutex
	state     State
	failures  int
	threshold int
	openedAt  time.Time
	timeout   time.Duration
}

func (b *Breaker) Allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == StateOpen && time.Since(b.openedAt) > b.timeout {
		b.state = StateHalfOpen
	}
	return b.state != StateOpen
}

func (b *Breaker) Fail() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	if b.failures >= b.threshold {
		b.state, b.openedAt = StateOpen, time.Now()
	}
}

// flaky keeps its state in an atomic, with untyped constants.
const (
	closed = iota
	open
)

type flaky struct { // want `type flaky is a hand-rolled circuit breaker \(state in state`
	state             atomic.Int32
	consecutiveErrors atomic.Int64
	resetAfter        time.Duration
}

func (f *flaky) record(err error) {
	if err == nil {
		f.consecutiveErrors.Store(0)
		f.state.Store(closed)
		return
	}
	if n := f.consecutiveErrors.Add(1); n > 5 {
		f.state.Store(open)
		time.AfterFunc(f.resetAfter, func() { f.state.Store(closed) })
	}
}

// tripwire is open while tripped is set, with its counts in a struct.
type tripwire struct { // want `type tripwire is a hand-rolled circuit breaker \(state in tripped`
	tripped bool
	counts  struct{ errs, calls int }
	until   time.Time
}

func (t *tripwire) fail() {
	t.counts.errs++
	if t.counts.errs > 3 {
		t.tripped, t.until = true, time.Now().Add(time.Minute)
	}
}

// rolling keeps its counts behind an interface (a rolling window) and
// trips by an option's func.
type metrics interface{ Failures() int }

type rolling struct { // want `type rolling is a hand-rolled circuit breaker \(state in state`
	state    State
	metrics  metrics
	openTime time.Time
	options  struct {
		ShouldTrip func(metrics) bool
	}
}

// conn is a state machine of another kind: open and closed, but no
// failures counted against a threshold.
type connState int

const (
	connOpen connState = iota
	connClosed
)

type conn struct {
	state    connState
	lastUsed time.Time
	reads    int
}

func (c *conn) close() {
	if c.reads > 0 {
		c.state = connClosed
	}
}

// stream counts errors against a threshold but has no time to reset.
type stream struct {
	state  State
	errors int
}

func (s *stream) fail() {
	s.errors++
	if s.errors > 3 {
		s.state = StateOpen
	}
}

// Config holds a breaker's settings, not its state: nothing compares
// its threshold fields.
type Config struct {
	Initial          State
	FailureThreshold int
	Timeout          time.Duration
}

// stats counts failures and has a time, but no open/closed state.
type stats struct {
	failures int
	last     time.Time
}

func (s *stats) over() bool { return s.failures > 10 }
