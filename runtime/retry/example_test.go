package retry_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/resilvet/resilvet/runtime/retry"
)

func ExampleDo() {
	// One budget per dependency, shared by every caller.
	vmapiBudget := new(retry.Budget)

	calls := 0
	err := retry.Do(context.Background(), retry.Policy{Base: time.Millisecond, Budget: vmapiBudget}, func(context.Context) error {
		calls++
		if calls < 3 {
			return errors.New("503 Service Unavailable")
		}
		return nil
	})
	fmt.Println(calls, err)

	err = retry.Do(context.Background(), retry.Policy{}, func(context.Context) error {
		return retry.Permanent(errors.New("400 Bad Request")) // retrying cannot help
	})
	var re *retry.Error
	if errors.As(err, &re) {
		fmt.Println(re.Attempts, re.Err)
	}
	// Output:
	// 3 <nil>
	// 1 400 Bad Request
}

func ExampleJitter() {
	// A retry loop that keeps its own shape still needs a random wait.
	backoff := 100 * time.Millisecond
	for attempt := 1; attempt <= 3; attempt++ {
		wait := retry.Jitter(backoff) // uniform in [0, backoff)
		fmt.Println(wait >= 0 && wait < backoff)
		backoff *= 2
	}
	// Output:
	// true
	// true
	// true
}
