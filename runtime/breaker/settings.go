package breaker

import (
	"fmt"
	"time"
)

// State is the state of a breaker.
type State int

// The states, in gobreaker's order, so that numeric values match.
const (
	StateClosed   State = iota // calls pass and their results are counted
	StateHalfOpen              // up to Settings.MaxRequests probe calls pass
	StateOpen                  // calls are refused with an *OpenError
)

func (s State) String() string {
	switch s {
	case StateClosed:
		return "closed"
	case StateHalfOpen:
		return "half-open"
	case StateOpen:
		return "open"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// MarshalText encodes s as its name, so that a Snapshot in JSON reads "open"
// rather than a number. It fails for an unknown State.
func (s State) MarshalText() ([]byte, error) {
	switch s {
	case StateClosed, StateHalfOpen, StateOpen:
		return []byte(s.String()), nil
	}
	return nil, fmt.Errorf("breaker: unknown state %d", int(s))
}

// UnmarshalText decodes a state name written by MarshalText.
func (s *State) UnmarshalText(text []byte) error {
	for _, v := range []State{StateClosed, StateHalfOpen, StateOpen} {
		if string(text) == v.String() {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("breaker: unknown state %q", text)
}

// Counts are the numbers of calls a breaker has let through and their
// results since it last changed state or, when closed, since its Interval
// last began. Requests counts calls let through, including those still
// running.
type Counts struct {
	Requests             uint32 `json:"requests"`
	TotalSuccesses       uint32 `json:"totalSuccesses"`
	TotalFailures        uint32 `json:"totalFailures"`
	TotalExclusions      uint32 `json:"totalExclusions"`
	ConsecutiveSuccesses uint32 `json:"consecutiveSuccesses"`
	ConsecutiveFailures  uint32 `json:"consecutiveFailures"`
}

// Settings configure a breaker. The zero value is gobreaker's defaults: one
// half-open probe, counts never cleared while closed, open for 60 seconds,
// and tripping after more than five consecutive failures.
type Settings struct {
	// MaxRequests is how many probe calls a half-open breaker lets through,
	// and how many consecutive successes close it. Zero means 1.
	MaxRequests uint32

	// Interval, if positive, clears a closed breaker's counts each time
	// that long has passed since they were last cleared (a fixed window
	// that starts again the first time the breaker is used after it ends).
	Interval time.Duration

	// Timeout is how long the breaker stays open before it half-opens.
	// Zero or less means 60 seconds.
	Timeout time.Duration

	// ReadyToTrip is called, with the breaker locked, after each failure
	// while closed; true opens the breaker. It must not call the breaker.
	// Nil means more than five consecutive failures.
	ReadyToTrip func(counts Counts) bool

	// OnStateChange, if non-nil, is called after each change of state,
	// outside the lock and in order (see the package doc).
	OnStateChange func(name string, from, to State)

	// IsSuccessful reports whether a call's error counts as a success. Nil
	// means err == nil.
	IsSuccessful func(err error) bool

	// IsExcluded reports whether a call's error counts as neither success
	// nor failure. The caller's own cancellation is excluded before it is
	// asked (see the package doc). Nil excludes nothing more.
	IsExcluded func(err error) bool
}

func (s *Settings) maxRequests() uint32 {
	if s.MaxRequests == 0 {
		return 1
	}
	return s.MaxRequests
}

func (s *Settings) timeout() time.Duration {
	if s.Timeout <= 0 {
		return 60 * time.Second
	}
	return s.Timeout
}

func (s *Settings) interval() time.Duration { return max(s.Interval, 0) }
