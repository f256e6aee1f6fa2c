//go:build go1.21

package percallfix

import (
	"errors"

	gobreakerv1 "github.com/sony/gobreaker"
)

// The import of context is shadowed here: the fix imports it as context2.
func lookup(context string) (interface{}, error) {
	var cb = gobreakerv1.NewCircuitBreaker(gobreakerv1.Settings{MaxRequests: 2}) // want `serves only this call`
	return cb.Execute(func() (interface{}, error) {
		return nil, errors.New(context)
	})
}
