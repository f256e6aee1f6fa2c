package b

import "time"

import "example.com/vetmod/a"

var _ a.A

type state int

const (
	closed state = iota
	open
)

type B struct {
	state    state
	failures int
	openedAt time.Time
}

func (b *B) Fail() {
	if b.failures++; b.failures > 5 {
		b.state, b.openedAt = open, time.Now()
	}
}
