// Package foreigncanon is analysed with -rawbreaker.canonical=github.com/sony/gobreaker:
// both major versions of gobreaker are canonical there, and the runtime's
// registry is a foreign breaker.
package foreigncanon

import (
	"github.com/eapache/go-resiliency/breaker"
	rt "github.com/resilvet/resilvet/runtime/breaker"
	"github.com/sony/gobreaker/v2"
)

var (
	// The canonical package: silent.
	v2 = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "v2"})

	eb    = breaker.New(3, 1, 0)       // want `breaker.New makes a circuit breaker of github.com/eapache/go-resiliency/breaker, not of the canonical breaker package: breakers of different libraries share no state and count failures differently; use the canonical github.com/sony/gobreaker`
	rb, _ = rt.Get("x", rt.Settings{}) // want `breaker.Get uses a circuit breaker of github.com/resilvet/resilvet/runtime/breaker`
)
