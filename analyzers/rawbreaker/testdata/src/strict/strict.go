package strict // want package:"breakers\\(strict.vmBreaker\\)"

import (
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"
)

// The strict profile reports every rule, each off by default.

type state int

const (
	closed state = iota
	open
)

// handrolled
type vmBreaker struct { // want `type vmBreaker is a hand-rolled circuit breaker`
	state    state
	failures int
	openedAt time.Time
}

func (b *vmBreaker) fail() {
	b.failures++
	if b.failures > 5 {
		b.state = open
		b.openedAt = time.Now()
	}
}

func fetch() (any, error) { return nil, nil }

// foreign and per-call
func handler(w http.ResponseWriter, r *http.Request) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "api"}) // want `gobreaker.NewCircuitBreaker makes a circuit breaker of github.com/sony/gobreaker/v2` `serves only this call`
	if _, err := cb.Execute(fetch); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// no-jitter
func createVM(create func() error) {
	for attempt := 0; create() != nil; attempt++ {
		time.Sleep(time.Duration(1<<attempt) * time.Second) // want `retry delay grows exponentially`
	}
}
