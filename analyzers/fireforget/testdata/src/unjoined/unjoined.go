// Package unjoined holds goroutines that can be stopped but that nothing
// waits for.
package unjoined

import (
	"context"
	"sync"
)

type Watcher struct{ wg sync.WaitGroup }

func (w *Watcher) watch(ctx context.Context) { <-ctx.Done() }

func (w *Watcher) Start(ctx context.Context) {
	go w.watch(ctx) // want `goroutine can be stopped but is never waited for: it can outlive shutdown; start it with task.Go`

	w.wg.Add(1)
	go func() { // silent: bounded and waited for
		defer w.wg.Done()
		w.watch(ctx)
	}()
}

func (w *Watcher) Wait() { w.wg.Wait() }
