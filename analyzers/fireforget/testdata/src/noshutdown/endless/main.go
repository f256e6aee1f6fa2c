// Command endless starts tasks that can never end: they ignore their
// context and loop for ever. task.Shutdown could only wait them out, so the
// finding has no fix: the deferred wait would delay every exit by its whole
// timeout. The tasks must first return when their context is cancelled.
package main

import (
	"context"
	"sync/atomic"

	"github.com/resilvet/resilvet/runtime/task"
)

var n atomic.Int64

func main() { // want `main never calls task.Shutdown`
	task.Go(context.Background(), "endless.count", func(_ context.Context) error {
		for {
			n.Add(1)
		}
	})
	task.Go(context.Background(), "endless.block", block)
}

func block(context.Context) error {
	select {}
}
