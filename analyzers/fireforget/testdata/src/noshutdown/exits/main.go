// Command exits ends with os.Exit, which skips deferred calls: the finding
// has no fix, since a deferred Shutdown would never run.
package main

import (
	"context"
	"os"

	"github.com/resilvet/resilvet/runtime/task"
)

func main() { // want `main never calls task.Shutdown`
	task.Go(context.Background(), "exits.work", func(context.Context) error { return nil })
	os.Exit(run())
}

func run() int { return 0 }
