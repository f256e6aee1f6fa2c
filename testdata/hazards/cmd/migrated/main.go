// Command migrated had its goroutines moved to task.Go, as the post-mortem
// asked, but main never shuts the default group down: the tasks are
// tracked by nothing and still die half-done at exit.
package main

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

func main() {
	ctx := context.Background()
	task.Go(ctx, "migrated.flush", func(ctx context.Context) error {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				log.Print("flushed")
			}
		}
	})
	log.Fatal(http.ListenAndServe(":8081", nil))
}
