package hasruntime

import (
	"context"
	"log"

	"github.com/resilvet/resilvet/runtime/cancel"
)

func fetch(ctx context.Context) error { return nil }

// The runtime is already in the import graph: the guard is cancel.Of
// without -swallowcancel.runtimefixes.
func poll(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil { // want `the error of fetch, which is given ctx`
			log.Print(err)
		}
	}
}

// cancelled knows cancellation already: silent.
func cancelled(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil {
			if cancel.Is(err) {
				return err
			}
			log.Print(err)
		}
	}
}
