// Command watches starts a task that loops until its context is
// cancelled, and one whose loop returns: task.Shutdown stops or waits for
// them, so the finding has the fix.
package main

import (
	"context"
	"errors"

	"github.com/resilvet/resilvet/runtime/task"
)

func main() { // want `main never calls task.Shutdown`
	task.Go(context.Background(), "watches.loop", func(ctx context.Context) error {
		for {
			if ctx.Err() != nil {
				break
			}
		}
		return nil
	})
	task.Go(context.Background(), "watches.done", func(_ context.Context) error {
		for {
			return errors.New("done")
		}
	})
}
