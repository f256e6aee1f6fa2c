package unrestored

import (
	"sync"
	"sync/atomic"
)

var (
	booting bool
	busy    atomic.Bool
	phase   atomic.Int32
	running int32
	hits    atomic.Int64
	mu      sync.Mutex
	state   struct{ ready bool }
)

func bootFlag() error {
	booting = true // want `booting is set to true and reset on some exit paths but not on 1 other: it stays true for the whole process; defer the reset`
	if err := step(); err != nil {
		booting = false
		return err
	}
	if err := step(); err != nil {
		return err
	}
	booting = false
	return nil
}

func busyFlag() error {
	busy.Store(true) // want `busy is set to true and reset on some exit paths but not on 1 other`
	if err := step(); err != nil {
		return err
	}
	busy.Store(false)
	return nil
}

func phaseFlag() error {
	phase.Store(1) // want `phase is set to 1 and reset`
	if err := step(); err != nil {
		return err
	}
	phase.Store(0)
	return nil
}

func casGuard() error {
	if !busy.CompareAndSwap(false, true) { // want `busy is set to true and reset`
		return nil // someone else is busy: not ours to reset
	}
	if err := step(); err != nil {
		return err
	}
	busy.Store(false)
	return nil
}

func casFunc() error {
	if !atomic.CompareAndSwapInt32(&running, 0, 1) { // want `running is set to 1 and reset`
		return nil
	}
	if err := step(); err != nil {
		return err
	}
	atomic.StoreInt32(&running, 0)
	return nil
}

// Silent: a counter is not a flag.
func counter() error {
	hits.Add(1)
	if err := step(); err != nil {
		return err
	}
	hits.Add(-1)
	return nil
}

// Silent: deferred.
func busyDeferred() error {
	busy.Store(true)
	defer busy.Store(false)
	return step()
}

func underLock() error {
	mu.Lock()
	state.ready = false
	mu.Unlock()
	if err := step(); err != nil {
		return err
	}
	mu.Lock()
	state.ready = true
	mu.Unlock()
	return nil
}

func noErrors(ok bool) {
	booting = true // want `booting is set to true and reset on some exit paths but not on 1 other`
	if !ok {
		return
	}
	step()
	booting = false
}
