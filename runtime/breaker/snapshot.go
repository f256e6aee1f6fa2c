package breaker

import (
	"errors"
	"fmt"
	"time"
)

// A Snapshot is a breaker's state at one moment, to be restored by
// Breaker.Restore after a restart. It encodes with encoding/json; its State
// encodes as a name ("open"), its durations as nanoseconds.
type Snapshot struct {
	State  State  `json:"state"`
	Counts Counts `json:"counts"`
	// OpenFor is how much longer an open breaker was to stay open at Taken;
	// zero for the other states.
	OpenFor time.Duration `json:"openFor"`
	// Taken is when the snapshot was taken. Restore uses it to subtract the
	// time since; a zero Taken restores as if just taken.
	Taken time.Time `json:"taken"`
}

// Snapshot returns the breaker's current state. It does not block, beyond
// taking the breaker's lock.
func (b *Breaker) Snapshot() Snapshot {
	b.mu.Lock()
	b.advance()
	now := time.Now()
	s := Snapshot{State: b.state, Counts: b.counts, Taken: now}
	if b.state == StateOpen {
		s.OpenFor = b.expiry.Sub(now)
	}
	b.unlock()
	return s
}

// Restore puts the breaker in the state s records, which may come from
// another breaker or another process. It does not block. It returns an error,
// and changes nothing, if s is not a state a breaker can be in.
//
// An open breaker stays open for s.OpenFor less the time since s.Taken (see
// "Surviving a restart" in the package doc), and half-opens at once if that
// has passed. A closed one keeps its counts and starts a new Interval; a
// half-open one keeps its successes. Calls that were in flight when s was
// taken are not restored: Requests drops to the calls that had finished, so
// no probe slot is held for a call that no longer exists. Calls let through
// by this breaker before Restore no longer count. If the state changes,
// OnStateChange is called as for any other change.
func (b *Breaker) Restore(s Snapshot) error {
	switch s.State {
	case StateClosed, StateHalfOpen, StateOpen:
	default:
		return fmt.Errorf("breaker: Restore: unknown state %d", int(s.State))
	}
	if s.OpenFor < 0 {
		return errors.New("breaker: Restore: negative OpenFor")
	}
	c := s.Counts
	finished := uint64(c.TotalSuccesses) + uint64(c.TotalFailures) + uint64(c.TotalExclusions)
	if uint64(c.Requests) < finished {
		return fmt.Errorf("breaker: Restore: %d requests cannot have %d results", c.Requests, finished)
	}
	c.Requests = uint32(finished)

	now := time.Now()
	state := s.State
	var left time.Duration
	if state == StateOpen {
		left = s.OpenFor
		if !s.Taken.IsZero() {
			// Monotonic if s was taken by this process and not encoded;
			// otherwise wall clock, and a clock that went back counts as
			// no time passed, so the breaker is never open for longer.
			left -= max(now.Sub(s.Taken), 0)
		}
		if left <= 0 {
			state = StateHalfOpen
		}
	}
	if s.State == StateOpen {
		c = Counts{} // an open breaker counts nothing
	}

	b.mu.Lock()
	b.advance()
	if b.state == state {
		b.newGeneration(now)
	} else {
		b.setState(state, now)
	}
	if state == StateOpen {
		b.expiry = now.Add(left)
	}
	b.counts = c
	b.unlock()
	return nil
}
