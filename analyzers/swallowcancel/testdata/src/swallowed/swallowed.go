package swallowed

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

type Client struct{ ctx context.Context }

func (c *Client) Fetch(ctx context.Context) (string, error) { return "", nil }
func (c *Client) Store(ctx context.Context, v string) error { return nil }
func fetch(ctx context.Context) error                       { return nil }
func isTemporary(err error) bool                            { return false }
func sleep(ctx context.Context, d time.Duration) bool       { return true }

// poll logs and goes round a loop that only a return ends: once ctx is
// cancelled, Fetch fails at once, every time.
func poll(ctx context.Context, c *Client) error {
	for {
		v, err := c.Fetch(ctx)
		if err != nil { // want `the error of c.Fetch, which is given ctx, is handled and the loop goes on, also once ctx is cancelled: return it when cancel.Of\(ctx, err\)`
			log.Printf("fetch: %v", err)
			time.Sleep(time.Second)
			continue
		}
		log.Print(v)
	}
}

// noError cannot return the error: reported, no fix.
func noError(ctx context.Context, c *Client) {
	for {
		if _, err := c.Fetch(ctx); err != nil { // want `the error of c.Fetch`
			log.Print(err)
		}
	}
}

// retry is the err == nil form: the handling is what follows the if.
func retry(ctx context.Context) (int, error) {
	for ; ; time.Sleep(time.Second) {
		err := fetch(ctx)
		if err == nil { // want `the error of fetch, which is given ctx`
			return 1, nil
		}
		log.Printf("retrying: %v", err)
	}
}

// attempts: each attempt has its own deadline; the guard names the context
// the loop works for, not the attempt's.
func attempts(ctx context.Context) error {
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		err := fetch(attempt)
		cancel()
		if err != nil { // want `the error of fetch, which is given attempt, is handled and the loop goes on, also once ctx is cancelled: return it when cancel.Of\(ctx, err\)`
			log.Print(err)
			continue
		}
		return nil
	}
}

// handler: r.Context() is the ctx in scope.
func handler(w http.ResponseWriter, r *http.Request) {
	var c Client
	for {
		if _, err := c.Fetch(r.Context()); err != nil { // want `the error of c.Fetch, which is given r.Context\(\), is handled and the loop goes on, also once r.Context\(\) is cancelled`
			log.Print(err)
		}
	}
}

// group: the errgroup's context is the one each task works for.
func group(ctx context.Context, c *Client) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if err := fetch(gctx); err != nil { // want `the error of fetch, which is given gctx`
				log.Print(err)
				continue
			}
		}
	})
	return g.Wait()
}

// methodValue calls through a method value.
func methodValue(ctx context.Context, c *Client) error {
	f := c.Fetch
	for {
		if _, err := f(ctx); err != nil { // want `the error of f, which is given ctx`
			log.Print(err)
		}
	}
}

type Source[T any] interface {
	Next(ctx context.Context) (T, error)
}

// generic: a method of a type parameter's constraint.
func generic[T any](ctx context.Context, src Source[T], out chan<- T) error {
	for {
		v, err := src.Next(ctx)
		if err != nil { // want `the error of src.Next, which is given ctx`
			continue
		}
		out <- v
	}
}

// field: a component's own context, cancelled when it stops.
func (c *Client) field() error {
	for {
		if _, err := c.Fetch(c.ctx); err != nil { // want `the error of c.Fetch, which is given c.ctx, is handled and the loop goes on, also once c.ctx is cancelled: return it when cancel.Of\(c.ctx, err\)`
			log.Print(err)
		}
	}
}

// checkedFirst looks at cancellation with errors.Is before the handling:
// silent.
func checkedFirst(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			log.Print(err)
		}
	}
}

// wrapped returns the error, wrapped with %w: silent.
func wrapped(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil {
			return fmt.Errorf("fetch: %w", err)
		}
	}
}

// guarded retries, but waits in a select on ctx.Done(): silent.
func guarded(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil {
			log.Print(err)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
			continue
		}
		return nil
	}
}

// loopCond checks ctx.Err() in the loop's condition: silent.
func loopCond(ctx context.Context) {
	for ctx.Err() == nil {
		if err := fetch(ctx); err != nil {
			log.Print(err)
		}
	}
}

// helper asks a helper given ctx whether to go on: silent.
func helper(ctx context.Context) {
	for {
		if err := fetch(ctx); err != nil {
			log.Print(err)
			if !sleep(ctx, time.Second) {
				return
			}
		}
	}
}

// detached works on a context nothing cancels: silent.
func detached(ctx context.Context) {
	dctx := context.WithoutCancel(ctx)
	for {
		if err := fetch(dctx); err != nil {
			log.Print(err)
		}
	}
}

// background: nothing cancels context.Background(): silent.
func background() {
	ctx := context.Background()
	for {
		if err := fetch(ctx); err != nil {
			log.Print(err)
		}
	}
}

// perAttempt makes a fresh context for each attempt: going on after its
// deadline is the point. Silent.
func perAttempt() {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := fetch(ctx)
		cancel()
		if err != nil {
			log.Print(err)
		}
	}
}

// classified goes on only for the errors it names: silent.
func classified(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil {
			if isTemporary(err) {
				continue
			}
			return err
		}
	}
}

// laterCall: the loop's next call given ctx returns its error, so the loop
// ends once ctx is cancelled. Silent.
func laterCall(ctx context.Context, c *Client) error {
	for {
		v, err := c.Fetch(ctx)
		if err != nil {
			log.Print(err)
		}
		if err := c.Store(ctx, v); err != nil {
			return err
		}
	}
}

// stopped waits on a stop channel of its own between attempts: silent.
func stopped(ctx context.Context, quit chan struct{}) {
	for {
		if err := fetch(ctx); err != nil {
			log.Print(err)
		}
		select {
		case <-quit:
			return
		case <-time.After(time.Second):
		}
	}
}

// counted gives up after some failures: the handling sets what the loop
// then tests. Silent.
func counted(ctx context.Context) error {
	failures := 0
	for {
		if err := fetch(ctx); err != nil {
			failures++
			if failures > 3 {
				return err
			}
		}
	}
}

// once handles an error outside any loop and does nothing after: silent.
func once(ctx context.Context) {
	if err := fetch(ctx); err != nil {
		log.Print(err)
	}
}

// finite goes on over a finite list: after cancellation each call fails
// at once, and the loop ends. Silent (the strict profile reports it).
func finite(ctx context.Context, c *Client, items []string) {
	for _, it := range items {
		if err := c.Store(ctx, it); err != nil {
			log.Print(err)
		}
	}
}

// fatal ends the process: silent.
func fatal(ctx context.Context) {
	for {
		if err := fetch(ctx); err != nil {
			die(err)
		}
	}
}

func die(err error) { log.Fatal(err) }

// shadowed: the if's err is another variable than the one Fetch assigns:
// silent.
func shadowed(ctx context.Context, c *Client, err error) {
	for {
		_, ferr := c.Fetch(ctx)
		_ = ferr
		if err != nil {
			log.Print(err)
		}
	}
}
