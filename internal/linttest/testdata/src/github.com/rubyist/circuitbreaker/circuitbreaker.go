// Package circuit is a stub of github.com/rubyist/circuitbreaker.
package circuit

import (
	"net/http"
	"time"
)

type Breaker struct{}

type Options struct {
	ShouldTrip func(*Breaker) bool
}

func NewBreaker() *Breaker                                   { return &Breaker{} }
func NewBreakerWithOptions(options *Options) *Breaker        { return &Breaker{} }
func NewConsecutiveBreaker(threshold int64) *Breaker         { return &Breaker{} }
func NewRateBreaker(rate float64, minSamples int64) *Breaker { return &Breaker{} }
func NewThresholdBreaker(threshold int64) *Breaker           { return &Breaker{} }

func (cb *Breaker) Call(circuit func() error, timeout time.Duration) error { return circuit() }
func (cb *Breaker) Ready() bool                                            { return true }

type HTTPClient struct{ Client *http.Client }

func NewHTTPClient(timeout time.Duration, threshold int64, client *http.Client) *HTTPClient {
	return &HTTPClient{Client: client}
}

func (c *HTTPClient) Get(url string) (*http.Response, error) { return c.Client.Get(url) }
