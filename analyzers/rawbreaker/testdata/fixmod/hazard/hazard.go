package hazard

import (
	"errors"
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"
)

var errDown = errors.New("down")

func fetch() (string, error) { return "", errDown }

// Handler makes its breaker per request (fixed to breaker.Get).
func Handler(w http.ResponseWriter, r *http.Request) {
	cb := gobreaker.NewCircuitBreaker[string](gobreaker.Settings{
		Name:    "fetch",
		Timeout: 30 * time.Second,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures > 3
		},
	})
	body, err := cb.Execute(fetch)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Write([]byte(body))
}

// PerHost has a name per call: no fix.
func PerHost(host string) (string, error) {
	cb := gobreaker.NewCircuitBreaker[string](gobreaker.Settings{Name: host})
	return cb.Execute(fetch)
}

// Retry doubles its delay with no jitter (fixed to retry.Jitter).
func Retry() {
	for d := 10 * time.Millisecond; ; d *= 2 {
		if _, err := fetch(); err == nil {
			return
		}
		time.Sleep(d)
	}
}
