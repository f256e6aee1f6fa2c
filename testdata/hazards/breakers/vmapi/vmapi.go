// Package vmapi calls the VM API through a breaker of its own — the
// second implementation — and retries VM creation the way the post-mortem
// did: sleeping 2 ** attempt seconds, with no jitter.
package vmapi

import (
	"errors"
	"math"
	"math/rand"
	"net/http"
	"time"

	"example.com/hazards/breakers/kernel"
)

var errUnavailable = errors.New("vmapi: unavailable")

func create(name string) error { return errUnavailable }

// circuit is a breaker the VM team wrote: tripped, a count and an expiry.
type circuit struct {
	tripped  bool
	errCount int
	until    time.Time
}

func (c *circuit) allow() bool {
	if c.tripped && time.Now().After(c.until) {
		c.tripped, c.errCount = false, 0
	}
	return !c.tripped
}

func (c *circuit) fail() {
	c.errCount++
	if c.errCount > 5 {
		c.tripped, c.until = true, time.Now().Add(30*time.Second)
	}
}

// CreateVM retries with 2 ** attempt seconds between attempts: every
// client that failed together retries together.
func CreateVM(name string) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = create(name); err == nil {
			return nil
		}
		time.Sleep(time.Duration(math.Pow(2, float64(attempt))) * time.Second)
	}
	return err
}

// Rebuild backs off by doubling, also in lockstep.
func Rebuild(name string) error {
	delay := 500 * time.Millisecond
	for {
		if err := create(name); err == nil {
			return nil
		}
		<-time.After(delay)
		delay *= 2
	}
}

// CreateVMJittered is the fixed shape: silent.
func CreateVMJittered(name string) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = create(name); err == nil {
			return nil
		}
		d := time.Duration(math.Pow(2, float64(attempt))) * time.Second
		time.Sleep(time.Duration(rand.Int63n(int64(d))))
	}
	return err
}

// Handler makes its breaker on every request: it never opens.
func Handler(w http.ResponseWriter, r *http.Request) {
	b := kernel.NewBreaker(5, time.Minute)
	if err := b.Call(func() error { return create(r.URL.Query().Get("name")) }); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

var shared = kernel.NewBreaker(5, time.Minute) // silent: one for the program

// SharedHandler is the fixed shape of Handler: silent.
func SharedHandler(w http.ResponseWriter, r *http.Request) {
	if err := shared.Call(func() error { return create(r.URL.Query().Get("name")) }); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}
