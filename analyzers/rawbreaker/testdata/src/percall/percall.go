package percall // want package:"breakers\\(percall.local\\)"

import (
	"context"
	"net/http"
	"time"

	"github.com/afex/hystrix-go/hystrix"
	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/sony/gobreaker/v2"
)

func fetch() (any, error) { return nil, nil }

// A handler that makes its breaker on every request.
func handler(w http.ResponseWriter, r *http.Request) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "api"}) // want `circuit breaker made by gobreaker.NewCircuitBreaker serves only this call: its counts start from zero each time, so it never opens; keep one per dependency with breaker.Get\(name, settings\)`
	if _, err := cb.Execute(fetch); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// Made and used at once.
func direct() error {
	_, err := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{}).Execute(fetch) // want `circuit breaker made by gobreaker.NewCircuitBreaker serves only this call`
	return err
}

// Made anew on every iteration of the loop that uses it.
func eachHost(hosts []string) {
	for _, h := range hosts {
		cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: h}) // want `serves only this call`
		cb.Execute(fetch)
	}
}

// The runtime's zero Breaker, made per call.
func zero(ctx context.Context) error {
	var b breaker.Breaker // want `circuit breaker made by a zero breaker.Breaker serves only this call`
	return b.Do(ctx, func(ctx context.Context) error { return nil })
}

func zeroExecute(ctx context.Context) (int, error) {
	b := &breaker.Breaker{} // want `circuit breaker made by a zero breaker.Breaker serves only this call`
	return breaker.Execute(ctx, b, func(ctx context.Context) (int, error) { return 1, nil })
}

func failsafeCall() (any, error) {
	cb := circuitbreaker.NewWithDefaults[any]() // want `circuit breaker made by circuitbreaker.NewWithDefaults serves only this call`
	return failsafe.Get(fetch, cb)
}

func failsafeBuilt() (any, error) {
	cb := circuitbreaker.NewBuilder[any]().WithFailureThreshold(3).Build() // want `circuit breaker made by circuitbreaker.Builder.Build serves only this call`
	return failsafe.Get(fetch, cb)
}

// A hand-rolled breaker of this package, made per call.
type state int

const (
	closed state = iota
	open
)

type local struct {
	state    state
	failures int
	until    time.Time
}

func newLocal() *local { return &local{} } // returned: kept by the caller

func (l *local) call(fn func() error) error {
	if l.state == open && time.Now().Before(l.until) {
		return nil
	}
	if err := fn(); err != nil {
		if l.failures++; l.failures > 3 {
			l.state, l.until = open, time.Now().Add(time.Second)
		}
		return err
	}
	return nil
}

func handRolled() error {
	l := newLocal() // want `circuit breaker made by percall.newLocal serves only this call`
	return l.call(func() error { return nil })
}

// Silent: each of these keeps its breaker beyond one call.

var global = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{}) // one for the program

type client struct {
	cb *gobreaker.CircuitBreaker[any]
}

func newClient() *client {
	return &client{cb: gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})} // stored in the client
}

func newBreaker() *gobreaker.CircuitBreaker[any] {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
	return cb // the caller keeps it
}

func (c *client) set() {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
	c.cb = cb // stored
}

// Made once, used on every iteration: its state accumulates.
func poll(ctx context.Context) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
	for ctx.Err() == nil {
		cb.Execute(fetch)
	}
}

// Captured by the handler it serves.
func routes(mux *http.ServeMux) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { cb.Execute(fetch) })
}

// Passed to a function that may keep it.
func register(cb *gobreaker.CircuitBreaker[any]) {}

func passed() {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
	register(cb)
	cb.Execute(fetch)
}

// A method value outlives the statement.
func methodValue() func(func() (any, error)) (any, error) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{})
	f := cb.Execute
	return f
}

// Registries and shared stores keep state by name.
func registries(ctx context.Context, store gobreaker.SharedDataStore) {
	b, _ := breaker.Get("api", breaker.Settings{})
	b.Do(ctx, func(ctx context.Context) error { return nil })
	hystrix.Do("api", func() error { return nil }, nil)
	d, _ := gobreaker.NewDistributedCircuitBreaker[any](store, gobreaker.Settings{})
	_ = d
}
