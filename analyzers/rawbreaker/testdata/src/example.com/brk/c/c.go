package c // want package:"breakers\\(example.com/brk/a.A,example.com/brk/c.C\\)"

import (
	"time"

	"example.com/brk/a"
)

var _ a.A

type C struct { // want `type C is a hand-rolled circuit breaker .* \(this program has 1 more: example.com/brk/a.A\)`
	open      bool
	failCount int
	timer     *time.Timer
}

func (c *C) Fail() {
	c.failCount++
	if c.failCount == 3 {
		c.open = true
	}
}
