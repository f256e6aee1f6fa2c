//go:build go1.21

package percallfix

import (
	"context"

	"github.com/resilvet/resilvet/runtime/breaker"
)

func zero(ctx context.Context) (int, error) {
	var b breaker.Breaker // want `serves only this call`
	if err := b.Do(ctx, func(ctx context.Context) error { return nil }); err != nil {
		return 0, err
	}
	return breaker.Execute(ctx, &b, func(ctx context.Context) (int, error) { return 1, nil })
}

func zeroPtr(ctx context.Context) error {
	b := new(breaker.Breaker) // want `serves only this call`
	return b.Do(ctx, func(ctx context.Context) error { return nil })
}
