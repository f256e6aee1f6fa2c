package b // want package:"breakers\\(example.com/brk/b.B\\)"

import "time"

type state int

const (
	stateClosed state = iota
	stateOpen
)

type B struct { // want `type B is a hand-rolled circuit breaker`
	state    state
	failures int
	openedAt time.Time
}

func (b *B) Fail() {
	b.failures++
	if b.failures > 5 {
		b.state, b.openedAt = stateOpen, time.Now()
	}
}
