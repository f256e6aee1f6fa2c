package strict

import (
	"context"
	"log"
)

func store(ctx context.Context, item string) error { return nil }
func fetch(ctx context.Context) (string, error)    { return "", nil }
func notify(ctx context.Context, v string)         {}

// finite goes on over a finite list: the strict profile reports it (after
// cancellation each call fails at once, and the loop ends).
func finite(ctx context.Context, items []string) error {
	for _, it := range items {
		if err := store(ctx, it); err != nil { // want `the error of store, which is given ctx, is handled and the loop goes on, also once ctx is cancelled: return it when cancel.Of\(ctx, err\)`
			log.Print(err)
		}
	}
	return nil
}

// more goes on working with the same context after a failure: the strict
// profile reports it. (No fix: more returns no error.)
func more(ctx context.Context) {
	v, err := fetch(ctx)
	if err != nil { // want `the error of fetch, which is given ctx, is handled and the code goes on working with ctx, also once it is cancelled: return it when cancel.Of\(ctx, err\)`
		log.Print(err)
	}
	notify(ctx, v)
}

// returned: the next call's error is returned, and after cancellation
// that call fails too: silent.
func returned(ctx context.Context) error {
	v, err := fetch(ctx)
	if err != nil {
		log.Print(err)
	}
	return store(ctx, v)
}

// failover keeps the last error, which outlives the loop and is returned:
// silent, even in the strict profile.
func failover(ctx context.Context, items []string) error {
	var err error
	for _, it := range items {
		if err = store(ctx, it); err != nil {
			continue
		}
		return nil
	}
	return err
}
