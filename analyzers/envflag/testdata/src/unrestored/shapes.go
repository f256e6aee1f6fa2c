package unrestored

import (
	"errors"
	"os"
	"sync/atomic"
)

// The set's own error is checked: that branch set nothing. The defer goes
// after the check.
func checkedSet() error {
	err := os.Setenv("TRACE", "1") // want `os\.Setenv\("TRACE", …\) is undone on some exit paths but not on 1 other`
	if err != nil {
		return err
	}
	if err := step(); err != nil {
		return errors.New("step failed")
	}
	os.Unsetenv("TRACE")
	return nil
}

var stopping atomic.Bool

// if x.CompareAndSwap(false, true) { … }: the flag is ours in the body.
func stop() {
	if stopping.CompareAndSwap(false, true) { // want `stopping is set to true and reset on some exit paths but not on 1 other`
		if step() != nil {
			return
		}
		stopping.Store(false)
	}
}

// Silent: a local variable that shadows the flag.
func shadowed() error {
	stopping := true
	if err := step(); err != nil {
		return err
	}
	stopping = false
	_ = stopping
	return nil
}

type fakeEnv struct{}

func (fakeEnv) Setenv(k, v string) {}
func (fakeEnv) Unsetenv(k string)  {}

// Silent: os is a local value here, not the package.
func shadowedOS() error {
	os := fakeEnv{}
	os.Setenv("TRACE", "1")
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("TRACE")
	return nil
}

// Silent: the swap found the flag already up: not ours to lower.
func swapGuard() error {
	if stopping.Swap(true) {
		return nil
	}
	defer stopping.Store(false)
	return step()
}
