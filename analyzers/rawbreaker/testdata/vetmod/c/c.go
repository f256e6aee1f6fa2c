package c

import "time"

import "example.com/vetmod/b"

var _ b.B

type state int

const (
	closed state = iota
	open
)

type C struct {
	state    state
	failures int
	openedAt time.Time
}

func (b *C) Fail() {
	if b.failures++; b.failures > 5 {
		b.state, b.openedAt = open, time.Now()
	}
}
