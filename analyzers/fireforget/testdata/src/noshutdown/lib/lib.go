package lib // want package:"default tasks in noshutdown/lib"

// Package lib starts tasks on task's default group: every program that
// imports it must wait for them at exit.

import (
	"context"

	"github.com/resilvet/resilvet/runtime/task"
)

func Refresh(ctx context.Context) {
	task.Go(ctx, "lib.refresh", func(context.Context) error { return nil })
}
