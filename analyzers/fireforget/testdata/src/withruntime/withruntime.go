package withruntime // want package:"default tasks in withruntime"

// The package already depends on the runtime: the fix is offered without
// -fireforget.runtimefixes.

import (
	"context"

	"github.com/resilvet/resilvet/runtime/task"
)

func work() {}

func start(ctx context.Context) {
	go work() // want `start it with task.Go`
	task.Go(ctx, "withruntime.work", func(context.Context) error { work(); return nil })
}
