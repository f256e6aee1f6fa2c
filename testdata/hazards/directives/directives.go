// Package directives holds suppression directives gone wrong: one that
// gives no reason, one naming an analyzer that does not exist, and one
// left behind after the code it excused was fixed.
package directives

import (
	"sync"
	"time"
)

// poll polls for as long as the process lives.
func poll() {
	for {
		time.Sleep(time.Minute)
	}
}

// Start suppresses with no reason, so the directive is malformed and the
// finding it meant to hide is still reported.
func Start() {
	//resilvet:ignore fireforget
	go poll()
}

// StartExcused suppresses properly.
func StartExcused() {
	//resilvet:ignore fireforget the poller lives as long as the process
	go poll() // silent: suppressed
}

// Misspelt names an analyzer that does not exist.
func Misspelt() {
	//resilvet:ignore fireforgot the poller lives as long as the process
	poll()
}

// Fixed was fixed; its directive now suppresses nothing.
func Fixed() {
	var wg sync.WaitGroup
	wg.Add(1)
	//resilvet:ignore fireforget/untracked the poller lives as long as the process
	go func() {
		defer wg.Done()
		defer func() { _ = recover() }()
		poll()
	}()
	wg.Wait()
}

// Spaced puts a space after //, which makes the directive an ordinary
// comment that suppresses nothing.
func Spaced() {
	// resilvet:ignore fireforget the poller lives as long as the process
	go poll()
}
