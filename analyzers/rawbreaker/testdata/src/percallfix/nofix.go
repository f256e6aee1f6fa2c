//go:build go1.21

package percallfix

import (
	"fmt"

	"github.com/sony/gobreaker/v2"
)

// No fix: the settings or the uses do not map one to one.

func onChange() {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{ // want `serves only this call`
		OnStateChange: func(name string, from, to gobreaker.State) { fmt.Println(from, to) }, // its State type differs
	})
	cb.Execute(fetch)
}

func perHost(host string) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: host}) // want `serves only this call`
	cb.Execute(fetch)                                                      // a name per call: sharing one would merge the hosts
}

func twice() {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{}) // want `serves only this call`
	cb.Execute(fetch)
	fmt.Println(cb.Name()) // a second use, of gobreaker's API
}

func dynamic(timeout int) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{MaxRequests: uint32(timeout)}) // want `serves only this call`
	cb.Execute(fetch)                                                                        // settings that vary between calls
}

func capture(limit uint32) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{ // want `serves only this call`
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures > limit }, // captures a parameter
	})
	cb.Execute(fetch)
}

func sideEffect(make func() func() (any, error)) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{}) // want `serves only this call`
	cb.Execute(make())                                           // make() would run inside the breaker
}
