package breaker_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

func ExampleGet() {
	// Every caller of the VM API asks for the same breaker by name.
	vmapi, err := breaker.Get("example.vmapi", breaker.Settings{
		Timeout:     30 * time.Second,
		ReadyToTrip: func(c breaker.Counts) bool { return c.ConsecutiveFailures >= 3 },
		OnStateChange: func(name string, from, to breaker.State) {
			fmt.Printf("%s: %v → %v\n", name, from, to)
		},
	})
	if err != nil {
		log.Fatal(err) // configured differently elsewhere
	}

	ctx := context.Background()
	for i := 0; i < 4; i++ {
		err := vmapi.Do(ctx, func(context.Context) error {
			return errors.New("503 Service Unavailable") // the VM API is down
		})
		var open *breaker.OpenError
		if errors.As(err, &open) {
			fmt.Println("refused without a call, for about", open.Remaining.Round(10*time.Second))
		}
	}
	vmapi.Reset() // an operator knows better
	// Output:
	// example.vmapi: closed → open
	// refused without a call, for about 30s
	// example.vmapi: open → closed
}

func ExampleBreaker_Allow() {
	b, _ := breaker.Get("example.stream", breaker.Settings{})
	ctx := context.Background()

	// A call that cannot be wrapped in a function, such as a stream that
	// reports its end through a callback.
	done, err := b.Allow(ctx)
	if err != nil {
		return // refused: errors.Is(err, breaker.ErrOpen)
	}
	streamEnded := func(err error) { done(err) }
	streamEnded(nil)
	fmt.Println(b.State(), b.Counts().ConsecutiveSuccesses > 0)
	// Output:
	// closed true
}

func ExampleBreaker_Snapshot() {
	b, _ := breaker.Get("example.snapshot", breaker.Settings{})
	b.ForceOpen(10 * time.Minute) // an operator takes the dependency out

	// At shutdown (or periodically), save the state...
	data, _ := json.Marshal(b.Snapshot())

	// ... and in the next process, restore it before serving.
	var s breaker.Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		log.Fatal(err)
	}
	next, _ := breaker.Get("example.snapshot.next", breaker.Settings{})
	if err := next.Restore(s); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.State, next.State())
	// Output:
	// open open
}
