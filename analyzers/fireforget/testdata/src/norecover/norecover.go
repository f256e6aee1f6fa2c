// Package norecover holds goroutines that are waited for, with and
// without a deferred recover.
package norecover

import (
	"log"
	"sync"
)

func work() {}

func handle() { // want handle:"recovers"
	if r := recover(); r != nil {
		log.Print(r)
	}
}

func guardedWorker(wg *sync.WaitGroup) { // want guardedWorker:"guarded, joins"
	defer wg.Done()
	defer handle()
	work()
}

func bareWorker(wg *sync.WaitGroup) { // want bareWorker:"joins"
	defer wg.Done()
	work()
}

func all() {
	var wg sync.WaitGroup
	wg.Add(5)
	go func() { // want `goroutine has no deferred recover: a panic in it crashes the process`
		defer wg.Done()
		work()
	}()
	go func() { // silent: it recovers
		defer wg.Done()
		defer func() {
			if r := recover(); r != nil {
				log.Print(r)
			}
		}()
		work()
	}()
	go func() { // silent: the deferred function recovers
		defer wg.Done()
		defer handle()
		work()
	}()
	go guardedWorker(&wg) // silent: guardedWorker recovers
	go bareWorker(&wg)    // want `goroutine has no deferred recover`
	wg.Wait()
}

// Untracked goroutines are reported as untracked only: one diagnostic per
// go statement.
func once() {
	go work() // want `goroutine is never waited for`
}
