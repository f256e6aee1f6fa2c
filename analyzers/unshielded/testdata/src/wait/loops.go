package wait

import (
	"context"
	"sync"
	"time"
)

func condWait(ctx context.Context, mu *sync.Mutex, c *sync.Cond, ready *bool) {
	mu.Lock()
	defer mu.Unlock()
	for !*ready {
		c.Wait() // want `\(\*sync.Cond\).Wait is not interrupted when ctx is cancelled`
	}
}

// condNoCtx has no ctx to honour: silent.
func condNoCtx(mu *sync.Mutex, c *sync.Cond) {
	mu.Lock()
	c.Wait()
	mu.Unlock()
}

func selectLoop(ctx context.Context, jobs <-chan int, results chan<- int) {
	for {
		select { // want `select in a loop has no case <-ctx.Done\(\) and no default`
		case j := <-jobs:
			results <- j
		case <-time.After(time.Minute):
		}
	}
}

func selectLoopDone(ctx context.Context, jobs <-chan int) {
	for {
		select { // silent: a ctx.Done() case
		case <-jobs:
		case <-ctx.Done():
			return
		}
	}
}

func selectLoopDoneVar(ctx context.Context, jobs <-chan int) {
	done := ctx.Done()
	for {
		select { // silent: done holds ctx.Done()
		case <-jobs:
		case <-done:
			return
		}
	}
}

func selectLoopDefault(ctx context.Context, jobs <-chan int, errs chan error) {
	for range 3 {
		select { // silent: a default case, the select never blocks
		case <-jobs:
		case <-errs:
		default:
		}
	}
}

func selectLoopStop(ctx context.Context, jobs <-chan int, stop chan struct{}) {
	for {
		select { // silent: the code's own stop channel (see doc.go)
		case <-jobs:
		case <-stop:
			return
		}
	}
}

func selectLoopChecks(ctx context.Context, jobs <-chan int) {
	for ctx.Err() == nil {
		select { // silent: bounded by a timer, and the loop checks ctx between waits
		case <-jobs:
		case <-time.After(time.Second):
		}
	}
}

func selectOnce(ctx context.Context, jobs <-chan int, errs <-chan error) {
	select { // silent: outside a loop it waits once
	case <-jobs:
	case <-errs:
	}
}

func selectFedByCtxWorker(ctx context.Context, urls []string) error {
	results := make(chan error, len(urls))
	fetch := func(ctx context.Context, u string) { results <- work(ctx) }
	timer := time.NewTimer(time.Second)
	for _, u := range urls {
		go fetch(ctx, u)
	}
	for range urls {
		select { // silent: the workers that feed results receive ctx
		case err := <-results:
			if err != nil {
				return err
			}
		case <-timer.C:
		}
	}
	return nil
}

func selectNoCtx(jobs <-chan int, errs <-chan error) {
	for {
		select { // silent: no ctx in scope
		case <-jobs:
		case <-errs:
		}
	}
}

func waitDetached(ctx context.Context, items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait() // want `\(\*sync.WaitGroup\).Wait is not interrupted when ctx is cancelled, and a goroutine it joins does not receive ctx`
}

// fanOut: every worker receives ctx (or one derived from it), so
// cancelling ctx ends them and the wait: silent.
func fanOut(ctx context.Context, items []int) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			processCtx(ctx, it)
		}()
	}
	wg.Add(1)
	go worker(ctx, &wg)
	wg.Wait()
}

func waitGo(ctx context.Context, items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { processCtx(ctx, it) }) // receives ctx
	}
	wg.Go(func() { process(0) })
	wg.Wait() // want `\(\*sync.WaitGroup\).Wait is not interrupted`
}

// waitElsewhere: the goroutines it joins are started in other functions;
// we cannot tell what they receive (see doc.go): silent.
func waitElsewhere(ctx context.Context, wg *sync.WaitGroup) {
	wg.Wait()
}

// joinAfterShutdown waits after the loop that ends on cancellation: the
// join of a shutdown, silent.
func joinAfterShutdown(ctx context.Context, jobs <-chan int) {
	var wg sync.WaitGroup
	for {
		select {
		case j := <-jobs:
			wg.Add(1)
			go func() { defer wg.Done(); process(j) }()
			continue
		case <-ctx.Done():
		}
		break
	}
	wg.Wait()
}

// deferredJoin: a deferred wait, silent.
func deferredJoin(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done(); process(1) }()
}

func worker(ctx context.Context, wg *sync.WaitGroup) { defer wg.Done(); processCtx(ctx, 0) }

func process(int) {}

func processCtx(context.Context, int) {}

// unknownOrigin: a ctx variable declared without a value may hold
// anything, not the caller's ctx: silent.
func unknownOrigin(ctxs <-chan context.Context, jobs <-chan int) {
	for {
		var ctx context.Context
		select {
		case ctx = <-ctxs:
		case <-jobs:
		}
		time.Sleep(5 * time.Second)
		processCtx(ctx, 0)
	}
}

// closureWorkers: the goroutines run a local literal that receives ctx:
// silent.
func closureWorkers(ctx context.Context, items []int) {
	var wg sync.WaitGroup
	worker := func(it int) { defer wg.Done(); processCtx(ctx, it) }
	for _, it := range items {
		wg.Add(1)
		go worker(it)
	}
	wg.Wait()
}

func closureWorkersDetached(ctx context.Context, items []int) {
	var wg sync.WaitGroup
	worker := func(it int) { defer wg.Done(); process(it) }
	for _, it := range items {
		wg.Add(1)
		go worker(it)
	}
	wg.Wait() // want `\(\*sync.WaitGroup\).Wait is not interrupted`
}

// condWoken: the Cond is broadcast when ctx is cancelled: silent.
func condWoken(ctx context.Context, mu *sync.Mutex, c *sync.Cond, ready *bool) {
	stop := context.AfterFunc(ctx, func() { mu.Lock(); c.Broadcast(); mu.Unlock() })
	defer stop()
	mu.Lock()
	defer mu.Unlock()
	for !*ready && ctx.Err() == nil {
		c.Wait()
	}
}

// joinAfterClose: the workers stop when jobs is closed, and the wait
// follows the close: the join of a shutdown, silent.
func joinAfterClose(ctx context.Context, items []int) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				process(j)
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
}
