//go:build go1.21

package percallfix

import (
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"
)

func fetch() (any, error) { return nil, nil }

func handler(w http.ResponseWriter, r *http.Request) {
	cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{ // want `serves only this call`
		Name:    "api",
		Timeout: 30 * time.Second,
		ReadyToTrip: func(counts gobreaker.Counts) bool {
			return counts.ConsecutiveFailures > 3
		},
	})
	if _, err := cb.Execute(fetch); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}
