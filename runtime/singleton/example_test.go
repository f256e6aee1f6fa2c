package singleton_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/resilvet/resilvet/runtime/singleton"
	"github.com/resilvet/resilvet/runtime/task"
)

func ExampleLazy() {
	config := singleton.Lazy[map[string]string]{
		Name: "config",
		New: func(context.Context) (map[string]string, error) {
			fmt.Println("loading config")
			return map[string]string{"region": "eu-west-1"}, nil
		},
	}
	for i := 0; i < 3; i++ {
		c, err := config.Get(context.Background())
		fmt.Println(c["region"], err)
	}
	// Output:
	// loading config
	// eu-west-1 <nil>
	// eu-west-1 <nil>
	// eu-west-1 <nil>
}

// A failed attempt is not the result for ever: it is rolled back, and
// until the retry delay is over Get answers at once with the failure,
// marked so that callers can tell no new attempt was made.
func ExampleLazy_retryDelay() {
	tasks := new(task.Group)
	defer func() {
		if err := tasks.Shutdown(context.Background()); err != nil {
			fmt.Println(err) // not in Output: the example fails
		}
	}()
	up := false
	db := singleton.Lazy[string]{
		Tasks:      tasks,
		Name:       "db",
		RetryDelay: time.Hour, // so that this example does not wait for it
		New: func(context.Context) (string, error) {
			if !up {
				return "half-open pool", errors.New("connection refused")
			}
			return "pool", nil
		},
		Cleanup: func(pool string) { fmt.Println("closing", pool) },
	}

	_, err := db.Get(context.Background())
	fmt.Println("first:", err)
	up = true
	_, err = db.Get(context.Background())
	fmt.Println("second:", err, errors.Is(err, singleton.ErrRetryDelay))

	db.Reset() // what a test, or an operator's reload, does instead of waiting
	pool, err := db.Get(context.Background())
	fmt.Println("third:", pool, err)
	// Output:
	// closing half-open pool
	// first: connection refused
	// second: singleton: not retrying yet: connection refused true
	// third: pool <nil>
}

// Each caller waits on its own context: one that gives up leaves alone,
// and the attempt goes on for the others.
func ExampleLazy_Get() {
	tasks := new(task.Group)
	defer func() {
		if err := tasks.Shutdown(context.Background()); err != nil {
			fmt.Println(err) // not in Output: the example fails
		}
	}()
	started, release := make(chan struct{}), make(chan struct{})
	client := singleton.Lazy[string]{
		Tasks: tasks,
		New: func(ctx context.Context) (string, error) {
			close(started)
			select {
			case <-release: // a slow token endpoint
				return "client-with-token", nil
			case <-ctx.Done(): // the attempt's timeout or shutdown, no caller's
				return "", ctx.Err()
			}
		},
	}

	impatient, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := client.Get(impatient)
		fmt.Println("impatient caller:", err)
	}()
	<-started
	cancel()
	<-done

	close(release)
	c, err := client.Get(context.Background())
	fmt.Println("patient caller:", c, err)
	// Output:
	// impatient caller: context canceled
	// patient caller: client-with-token <nil>
}

// Reset after a reload: the next Get constructs anew, and the old value comes
// back to be closed once no request uses it.
func ExampleLazy_Reset() {
	version := 1
	settings := singleton.Lazy[string]{New: func(context.Context) (string, error) {
		return fmt.Sprintf("settings v%d", version), nil
	}}
	s, _ := settings.Get(context.Background())
	fmt.Println(s)

	version = 2 // the file changed
	old, ok := settings.Reset()
	fmt.Println("reset:", old, ok)
	s, _ = settings.Get(context.Background())
	fmt.Println(s)
	// Output:
	// settings v1
	// reset: settings v1 true
	// settings v2
}
