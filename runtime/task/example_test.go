package task_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

// plainLogger logs to stdout without the attributes that change between runs.
func plainLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "duration", "stack":
				return slog.Attr{}
			}
			return a
		},
	}))
}

func ExampleGroup() {
	var g task.Group // the zero value is ready to use
	g.Go("greeter", func(context.Context) error {
		fmt.Println("hello from a tracked task")
		return nil
	})
	g.Go("ticker", func(ctx context.Context) error {
		<-ctx.Done() // runs until Shutdown cancels it
		fmt.Println("ticker stopped:", context.Cause(ctx))
		return nil
	})
	err := g.Shutdown(context.Background()) // waits for both
	fmt.Println("shutdown:", err)
	// Unordered output:
	// hello from a tracked task
	// ticker stopped: task: group shut down
	// shutdown: <nil>
}

func ExamplePanicError() {
	g := task.Group{
		Logger:        plainLogger(),
		RecoverPanics: true, // without it, the panic would crash the process after logging
		OnError: func(name string, err error) {
			var pe *task.PanicError
			if errors.As(err, &pe) {
				fmt.Printf("hook: %s panicked with %v\n", name, pe.Value)
			}
		},
	}
	g.Go("parse", func(context.Context) error {
		var m map[string]int
		m["x"] = 1 //nolint:govet,staticcheck // nilness, SA5000: the example's point is a nil-map panic, recovered into an error
		return nil
	})
	if err := g.Shutdown(context.Background()); err != nil {
		fmt.Println(err) // main would exit non-zero
	}
	// Output:
	// level=ERROR msg="task panicked" task=parse error="task: panic: assignment to entry in nil map"
	// hook: parse panicked with assignment to entry in nil map
	// task: shutdown: 1 task panicked: "parse"
}

func ExampleGroup_Shutdown() {
	var g task.Group
	release := make(chan struct{})
	g.Go("stuck.upload", func(context.Context) error {
		<-release // ignores cancellation
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := g.Shutdown(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// err reads: task: shutdown: context deadline exceeded: 1 task still
	// running: "stuck.upload" (running 10ms)

	close(release)
	fmt.Println(g.Shutdown(context.Background())) // waits for the straggler
	// Output:
	// true
	// <nil>
}

func ExampleGo() {
	type requestID struct{}
	handler := func(ctx context.Context) {
		// Replaces `go audit(ctx)`: the task keeps the request's values, is
		// not cancelled when the request ends, and is waited for at Shutdown.
		task.Go(ctx, "audit.record", func(ctx context.Context) error {
			fmt.Println("audit for", ctx.Value(requestID{}))
			return nil
		})
	}
	ctx, endRequest := context.WithCancel(context.WithValue(context.Background(), requestID{}, "req-7"))
	handler(ctx)
	endRequest()

	// At the end of main:
	if err := task.Shutdown(context.Background()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// audit for req-7
}
