package foreign

import (
	"context"

	"github.com/afex/hystrix-go/hystrix"
	resiliency "github.com/eapache/go-resiliency/breaker"
	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	mercari "github.com/mercari/go-circuitbreaker"
	"github.com/resilvet/resilvet/runtime/breaker"
	circuit "github.com/rubyist/circuitbreaker"
	gobreakerv1 "github.com/sony/gobreaker"
	"github.com/sony/gobreaker/v2"
)

// One breaker per library, each kept for the life of the program: only
// foreign has something to say.
var (
	v1  = gobreakerv1.NewCircuitBreaker(gobreakerv1.Settings{Name: "v1"})          // want `gobreaker.NewCircuitBreaker makes a circuit breaker of github.com/sony/gobreaker, not of the canonical breaker package: breakers of different libraries share no state and count failures differently; keep one breaker per dependency with breaker.Get\(name, settings\)`
	v2  = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "v2"})         // want `gobreaker.NewCircuitBreaker makes a circuit breaker of github.com/sony/gobreaker/v2`
	two = gobreaker.NewTwoStepCircuitBreaker[int](gobreaker.Settings{Name: "two"}) // want `gobreaker.NewTwoStepCircuitBreaker makes`
	rb  = circuit.NewThresholdBreaker(10)                                          // want `circuit.NewThresholdBreaker makes a circuit breaker of github.com/rubyist/circuitbreaker`
	mb  = mercari.New()                                                            // want `circuitbreaker.New makes a circuit breaker of github.com/mercari/go-circuitbreaker`
	eb  = resiliency.New(3, 1, 0)                                                  // want `breaker.New makes a circuit breaker of github.com/eapache/go-resiliency/breaker`
	fb  = circuitbreaker.NewBuilder[any]().WithFailureThreshold(3).Build()         // want `circuitbreaker.NewBuilder makes a circuit breaker of github.com/failsafe-go/failsafe-go/circuitbreaker`
	fd  = circuitbreaker.NewWithDefaults[any]()                                    // want `circuitbreaker.NewWithDefaults makes`
)

func init() {
	hystrix.ConfigureCommand("vmapi", hystrix.CommandConfig{Timeout: 1000}) // want `hystrix.ConfigureCommand uses a circuit breaker of github.com/afex/hystrix-go/hystrix`
}

func call(ctx context.Context) error {
	err := hystrix.DoC(ctx, "vmapi", func(ctx context.Context) error { return nil }, nil) // want `hystrix.DoC uses a circuit breaker`
	if err != nil {
		return err
	}
	// The canonical breaker: silent.
	b, err := breaker.Get("vmapi", breaker.Settings{})
	if err != nil {
		return err
	}
	return b.Do(ctx, func(ctx context.Context) error { return nil })
}
