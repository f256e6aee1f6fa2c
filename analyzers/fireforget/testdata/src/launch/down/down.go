// Package down calls the launchers of package up.
package down

import (
	"context"
	"sync"

	"launch/up"
)

func work()                   {}
func workCtx(context.Context) {}

func calls(ctx context.Context) {
	up.SafeGo(work)        // want `up.SafeGo starts its argument on a goroutine that is never waited for: it can outlive shutdown`
	up.Spawn("work", work) // want `up.Spawn starts its argument`

	var g up.Group
	g.Go(work) // silent: Group.Go is waited for
	g.Wait()

	up.WithContext(ctx, workCtx) // silent: bounded by its context

	var wg sync.WaitGroup
	wg.Add(1)
	up.SafeGo(func() { // silent: the function passed is waited for by wg
		defer wg.Done()
		work()
	})
	wg.Wait()
}

// Later is a launcher through up.SafeGo.
func Later(f func()) { // want Later:"launches f untracked"
	up.SafeGo(f) // want `up.SafeGo starts its argument`
}

func laterCall() {
	Later(work) // want `down.Later starts its argument`
}
