package shield_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/resilvet/resilvet/runtime/shield"
	"github.com/resilvet/resilvet/runtime/task"
)

func ExampleSleep() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // e.g. the client went away

	// Replaces time.Sleep(backoff) in a retry loop: the loop ends with the
	// request instead of sleeping through it.
	if err := shield.Sleep(ctx, time.Hour); err != nil {
		fmt.Println("stopped waiting:", err)
	}
	// Output:
	// stopped waiting: context canceled
}

func ExampleWait() {
	var wg sync.WaitGroup
	results := make([]int, 3)
	for i := range results {
		i := i // per-iteration, for go1.21
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = i * i
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := shield.Wait(ctx, &wg); err != nil {
		fmt.Println("gave up:", err) // the workers are still running
		return
	}
	fmt.Println(results)
	// Output:
	// [0 1 4]
}

func ExampleGroup() {
	tasks := new(task.Group)
	tokens := shield.Group[string, string]{Tasks: tasks, Timeout: 10 * time.Second, Name: "auth.token"}
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	fetch := func(ctx context.Context) (string, error) {
		once.Do(func() { close(started) })
		select {
		case <-release: // a slow token endpoint
			return "token-abc", nil
		case <-ctx.Done(): // the group's timeout or shutdown, no caller's
			return "", ctx.Err()
		}
	}

	// The first caller's request is cancelled while the fetch is in flight.
	impatient, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := tokens.Do(impatient, "svc-a", fetch)
		fmt.Println("first caller:", err)
	}()
	<-started
	cancel()
	<-done

	// The fetch goes on regardless: later callers join it and get the token.
	close(release)
	tok, err := tokens.Do(context.Background(), "svc-a", fetch)
	fmt.Println("second caller:", tok, err)

	_ = tasks.Shutdown(context.Background())
	// Output:
	// first caller: context canceled
	// second caller: token-abc <nil>
}
