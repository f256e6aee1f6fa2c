// Command cmd uses lib's tasks and never shuts the default group down.
package main

import (
	"context"

	"noshutdown/lib"
)

func main() { // want `this program starts tasks on task's default group \(in noshutdown/lib\), but main never calls task.Shutdown: nothing waits for them at exit`
	// Refresh starts lib's tasks; the fix's deferred wait goes above this
	// comment, which describes the call.
	lib.Refresh(context.Background())
	serve()
}

func serve() {}
