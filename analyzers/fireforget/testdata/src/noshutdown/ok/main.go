// Command ok starts tasks itself and waits for them in a helper that main
// calls: silent.
package main

import (
	"context"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

func main() {
	task.Go(context.Background(), "ok.work", func(context.Context) error { return nil })
	stop()
}

func stop() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = task.Shutdown(ctx)
}
