package breaker_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

// TestCallbackCallsBack: a callback that reads and changes the breaker does
// not deadlock, and the change it makes is delivered after it returns.
func TestCallbackCallsBack(t *testing.T) {
	var b *breaker.Breaker
	var got []string
	b = get(t, breaker.Settings{
		ReadyToTrip: tripAfter(1),
		OnStateChange: func(_ string, from, to breaker.State) {
			got = append(got, fmt.Sprintf("%s→%s (State %s, Requests %d)", from, to, b.State(), b.Counts().Requests))
			if to == breaker.StateOpen {
				b.Reset() // e.g. an operator override
			}
		},
	})
	_ = b.Do(context.Background(), fail)
	want := []string{"closed→open (State open, Requests 0)", "open→closed (State closed, Requests 0)"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("callbacks:\n got %q\nwant %q", got, want)
	}
}

// TestCallbacksInOrderUnderConcurrency changes state from many goroutines
// while the callback reads the breaker; the changes it sees must chain
// (each starts where the last ended), which they would not if two were
// delivered out of order, and none may overlap another.
func TestCallbacksInOrderUnderConcurrency(t *testing.T) {
	var (
		b       *breaker.Breaker
		mu      sync.Mutex
		changes []string
		last    = breaker.StateClosed
		broken  string
		inside  int
	)
	b = get(t, breaker.Settings{
		ReadyToTrip: tripAfter(1),
		Timeout:     time.Hour,
		OnStateChange: func(_ string, from, to breaker.State) {
			mu.Lock()
			inside++
			if inside > 1 && broken == "" {
				broken = "two callbacks ran at once"
			}
			if from != last && broken == "" {
				broken = fmt.Sprintf("change %d is %v→%v after a change to %v", len(changes), from, to, last)
			}
			last = to
			changes = append(changes, from.String()+"→"+to.String())
			mu.Unlock()
			_ = b.State() // calls back in; a callback under the lock would deadlock here
			_ = b.Counts()
			mu.Lock()
			inside--
			mu.Unlock()
		},
	})
	half := b.Snapshot()
	half.State = breaker.StateHalfOpen
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		g := g
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				switch (g + i) % 4 {
				case 0:
					_ = b.Do(context.Background(), fail)
				case 1:
					b.ForceOpen(time.Hour)
				case 2:
					b.Reset()
				case 3:
					if err := b.Restore(half); err != nil {
						t.Error(err)
					}
					_ = b.Do(context.Background(), ok)
				}
			}
		}()
	}
	wg.Wait()
	final := b.State()
	mu.Lock()
	defer mu.Unlock()
	if broken != "" {
		t.Fatal(broken)
	}
	if len(changes) < 100 {
		t.Errorf("only %d changes; the test exercises nothing", len(changes))
	}
	if last != final {
		t.Errorf("last change delivered was to %v; the breaker is %v", last, final)
	}
}

func TestCallbackPanicDoesNotStopDelivery(t *testing.T) {
	var got []breaker.State
	b := get(t, breaker.Settings{OnStateChange: func(_ string, _, to breaker.State) {
		got = append(got, to)
		if to == breaker.StateOpen {
			panic("callback bug")
		}
	}})
	func() {
		defer func() { _ = recover() }()
		b.ForceOpen(time.Hour)
	}()
	b.Reset()
	if fmt.Sprint(got) != "[open closed]" {
		t.Errorf("delivered %v, want [open closed]", got)
	}
}
