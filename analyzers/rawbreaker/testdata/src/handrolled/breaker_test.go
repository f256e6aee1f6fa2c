package handrolled

import "time"

// fakeBreaker is a test double: test files are no part of the program.
type fakeBreaker struct {
	state    State
	failures int
	until    time.Time
}

func (f *fakeBreaker) tripped() bool { return f.failures > 1 }
