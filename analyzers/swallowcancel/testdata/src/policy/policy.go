package policy

import (
	"context"
	"log"
)

func fetch(ctx context.Context) error { return nil }

// Without -swallowcancel.runtimefixes and with the runtime outside the
// import graph, the guard is the standard library's: the .golden file
// shows ctx.Err() != nil.
func poll(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil { // want `the error of fetch, which is given ctx, is handled and the loop goes on`
			log.Print(err)
		}
	}
}
