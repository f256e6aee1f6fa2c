package defaults

import (
	"context"
	"log"
)

func fetch(ctx context.Context) error { return nil }

// Every rule is off by default (docs/precision.md): with the default
// switches, none of these is reported.
func all(ctx context.Context, jobs <-chan int) error {
	for {
		if err := fetch(ctx); err != nil { // swallowed
			log.Print(err)
		}
		select {
		case <-ctx.Done(): // done-ignored
		case <-jobs:
		}
		if err := fetch(ctx); err == context.Canceled { // compare
			return err
		}
	}
}

func load(ctx context.Context) error {
	if err := fetch(ctx); err != nil {
		return nil // nil-on-cancel
	}
	return nil
}
