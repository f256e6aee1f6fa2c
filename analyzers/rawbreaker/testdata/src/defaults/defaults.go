package defaults // want package:"breakers\\(defaults.vmBreaker\\)"

import (
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"
)

// Silent with the default rules: each hazard here is one of a rule that is
// off by default (docs/precision.md), reported only when it is switched on
// or in the strict profile. The package fact is exported all the same.

type state int

const (
	closed state = iota
	open
)

// handrolled
type vmBreaker struct {
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
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "api"})
	if _, err := cb.Execute(fetch); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// no-jitter
func createVM(create func() error) {
	for attempt := 0; create() != nil; attempt++ {
		time.Sleep(time.Duration(1<<attempt) * time.Second)
	}
}
