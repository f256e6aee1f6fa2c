package wait

import (
	"context"
	"sync"
	"time"
)

func fetch(ctx context.Context) error { return ctx.Err() }

// paced pauses a second between calls that take ctx: each call sees the
// cancellation, so the loop ends within one pause. Silent.
func paced(ctx context.Context) {
	for {
		if err := fetch(ctx); err != nil {
			return
		}
		time.Sleep(time.Second) // silent: the next fetch(ctx) sees the cancellation
	}
}

// pacedLong pauses too long for that: reported.
func pacedLong(ctx context.Context) {
	for {
		if err := fetch(ctx); err != nil {
			return
		}
		time.Sleep(30 * time.Second) // want `time.Sleep is not interrupted when ctx is cancelled`
	}
}

// pacedBackground passes a context the caller cannot cancel, and
// pacedDropped drops what the call says: neither loop hears of the
// cancellation, reported.
func pacedBackground(ctx context.Context) {
	for {
		if err := fetch(context.WithoutCancel(ctx)); err != nil {
			return
		}
		time.Sleep(time.Second) // want `time.Sleep is not interrupted when ctx is cancelled`
	}
}

func pacedDropped(ctx context.Context) {
	for {
		_ = fetch(ctx)
		time.Sleep(time.Second) // want `time.Sleep is not interrupted when ctx is cancelled`
	}
}

// stopped polls until its own stop channel is closed: a stop channel is
// cancellation, as ctx.Done() is. Silent.
func stopped(ctx context.Context, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		time.Sleep(time.Minute) // silent: the loop ends when stop is closed
	}
}

// woken waits on a Cond that a goroutine broadcasts when ctx is done.
// Silent.
func woken(ctx context.Context, mu *sync.Mutex, c *sync.Cond, ready *bool) error {
	mu.Lock()
	defer mu.Unlock()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
			c.Broadcast()
		}
	}()
	for !*ready {
		c.Wait() // silent: the goroutine above wakes it on cancellation
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// overwritten replaces the caller's ctx before waiting: the wait would
// ignore a context nobody can cancel, so the overwrite is reported, once,
// and the waits are not.
func overwritten(ctx context.Context, d time.Duration) error {
	ctx, cancel := context.WithCancel(context.Background()) // want `ctx, the caller's context, is replaced by one the caller cannot cancel: the wait at line 93, and all that follows, no longer sees the caller's cancellation; derive the new context from ctx`
	defer cancel()
	time.Sleep(d) // silent: reported at the overwrite
	time.Sleep(d) // silent: likewise
	return fetch(ctx)
}

// defaulted gives a nil ctx a value: the assignment may not run, and the
// wait is reported as usual.
func defaulted(ctx context.Context, d time.Duration) {
	if ctx == nil {
		ctx = context.Background()
	}
	time.Sleep(d) // want `time.Sleep is not interrupted when ctx is cancelled`
}

// overwrittenAfter replaces ctx only after the wait: reported as usual.
func overwrittenAfter(ctx context.Context, d time.Duration) error {
	time.Sleep(d) // want `time.Sleep is not interrupted when ctx is cancelled`
	ctx = context.Background()
	return fetch(ctx)
}
