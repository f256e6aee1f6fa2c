package c

import (
	"context"
	"fmt"

	"github.com/resilvet/resilvet/runtime/task"
)

func work() { fmt.Println("working") }

func Start() {
	task.Go(context.Background(), "work", func(context.Context) error { work(); return nil })
}
