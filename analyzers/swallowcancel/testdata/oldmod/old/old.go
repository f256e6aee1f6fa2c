package old

import "context"

func fetch(ctx context.Context) error { return nil }

// In a module whose go line predates Go 1.13, errors.Is does not exist:
// reported, no fix.
func isCanceled(ctx context.Context) bool {
	return fetch(ctx) == context.Canceled // want `== context.Canceled is false for an error that wraps it`
}
