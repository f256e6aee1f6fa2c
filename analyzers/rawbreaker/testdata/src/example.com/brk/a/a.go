package a // want package:"breakers\\(example.com/brk/a.A\\)"

import "time"

type state int

const (
	stateClosed state = iota
	stateOpen
)

type A struct { // want `type A is a hand-rolled circuit breaker`
	state    state
	failures int
	openedAt time.Time
}

func (b *A) Fail() {
	b.failures++
	if b.failures > 5 {
		b.state, b.openedAt = stateOpen, time.Now()
	}
}
