//go:build go1.25

//go:debug asynctimerchan=0

package coord_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/coord"
)

// In a synctest bubble time moves only when every goroutine is blocked, so
// these tests check exact times.

func TestWaitUntilLastLower(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		booting := coord.Flag{Name: "node.booting"}
		lowerBoot := booting.Raise()
		time.Sleep(time.Second)
		lowerProbe := booting.Raise() // nested: a step of the boot
		time.AfterFunc(2*time.Second, lowerProbe)
		time.AfterFunc(5*time.Second, lowerBoot)

		start := time.Now()
		var woken atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ { // every waiter wakes, not just one
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := booting.Wait(context.Background()); err != nil {
					t.Error(err)
				}
				woken.Add(1)
			}()
		}
		if err := booting.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 5*time.Second {
			t.Errorf("Wait returned after %v, want 5s: at the last lower, not the first", d)
		}
		synctest.Wait() // the other waiters have run as far as they can
		if n := woken.Load(); n != 3 {
			t.Errorf("%d of 3 other waiters woke", n)
		}
		wg.Wait()
	})
}

func TestWaitGivesUpWithCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var booting coord.Flag
		lower := booting.Raise() // forgotten: the post-mortem's bug
		defer lower()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		start := time.Now()
		err := booting.Wait(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 30*time.Second {
			t.Errorf("Wait gave up after %v, want 30s", d)
		}
		if !booting.Up() {
			t.Error("Wait giving up lowered the flag")
		}
	})
}

func TestWaitDownReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f coord.Flag
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := f.Wait(ctx); err != nil {
			t.Errorf("Wait on a down flag with a done ctx = %v, want nil", err)
		}
		f.Raise()()
		start := time.Now()
		if err := f.Wait(context.Background()); err != nil || time.Since(start) != 0 {
			t.Errorf("Wait after the flag went down = %v after %v, want nil at once", err, time.Since(start))
		}
		lower := f.Raise()
		defer lower()
		if err := f.Wait(ctx); err != context.Canceled {
			t.Errorf("Wait on an up flag with a done ctx = %v, want context.Canceled", err)
		}
	})
}

// A raise after a waiter was woken does not strand the next waiter on the
// old, closed channel, nor on a channel nobody will close.
func TestWaitAcrossRaises(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f coord.Flag
		for i := 0; i < 3; i++ {
			lower := f.Raise()
			time.AfterFunc(time.Second, lower)
			start := time.Now()
			if err := f.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d != time.Second {
				t.Fatalf("round %d: Wait returned after %v, want 1s", i, d)
			}
		}
	})
}

func TestSinceMeasuresTheOutermostRaise(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f coord.Flag
		start := time.Now()
		lower := f.Raise()
		time.Sleep(time.Hour)
		lowerInner := f.Raise()
		time.Sleep(time.Hour)
		if got := time.Since(f.Since()); got != 2*time.Hour {
			t.Errorf("up for %v, want 2h (since the outer raise)", got)
		}
		lowerInner()
		lower()
		if !f.Since().IsZero() {
			t.Errorf("Since = %v after the last lower, want zero", f.Since())
		}
		f.Raise()
		if got := f.Since().Sub(start); got != 2*time.Hour {
			t.Errorf("a new raise's Since is %v after start, want 2h", got)
		}
	})
}
