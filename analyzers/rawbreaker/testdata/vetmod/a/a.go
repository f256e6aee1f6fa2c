package a

import "time"

type state int

const (
	closed state = iota
	open
)

type A struct {
	state    state
	failures int
	openedAt time.Time
}

func (b *A) Fail() {
	if b.failures++; b.failures > 5 {
		b.state, b.openedAt = open, time.Now()
	}
}
