package unrestored

import (
	"log"
	"os"
	"sync"
)

// Each function here is reported, but offered no fix: deferring the reset
// would change more than the path that misses it.

// The reset is conditional: deferred, it would set HTTP_PROXY to "" where
// it was unset.
func withoutProxy() error {
	proxy, had := os.LookupEnv("HTTP_PROXY")
	os.Unsetenv("HTTP_PROXY") // want `os\.Unsetenv\("HTTP_PROXY"\) is undone on some exit paths but not on 1 other: HTTP_PROXY stays unset`
	if err := step(); err != nil {
		return err
	}
	if had {
		os.Setenv("HTTP_PROXY", proxy)
	}
	return nil
}

// A rollback that forgot one failure: the success path keeps the variable
// on purpose, is not reported, and a deferred reset would undo it there.
func rollbackForgot() error {
	os.Setenv("APP_MODE", "server") // want `os\.Setenv\("APP_MODE", …\) is undone on some exit paths but not on 1 other`
	if err := step(); err != nil {
		os.Unsetenv("APP_MODE")
		return err
	}
	if err := step(); err != nil {
		return err
	}
	return nil
}

// The code after the reset runs with the variable unset; deferred, it
// would run with it set.
func workAfterReset() error {
	os.Setenv("TRACE", "1") // want `os\.Setenv\("TRACE", …\) is undone on some exit paths but not on 1 other`
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("TRACE")
	log.Print("done")
	return nil
}

// A defer registered after the set runs before a deferred reset, after
// one made by hand.
func laterDefer() error {
	os.Setenv("TRACE", "1") // want `os\.Setenv\("TRACE", …\) is undone on some exit paths but not on 1 other`
	defer log.Print("leaving")
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("TRACE")
	return nil
}

// Two different resets: which one would the defer make?
func differentResets() error {
	os.Setenv("TRACE", "1") // want `os\.Setenv\("TRACE", …\) is undone on some exit paths but not on 1 other`
	if err := step(); err != nil {
		os.Setenv("TRACE", "")
		return err
	}
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("TRACE")
	return nil
}

// Set twice.
func setTwice() error {
	os.Setenv("TRACE", "1") // want `os\.Setenv\("TRACE", …\) is undone on some exit paths but not on 1 other`
	if err := step(); err != nil {
		return err
	}
	os.Setenv("TRACE", "2")
	os.Unsetenv("TRACE")
	return nil
}

// A reset on a path that never set it.
func resetWithoutSet(set bool) error {
	if set {
		os.Setenv("TRACE", "1") // want `os\.Setenv\("TRACE", …\) is undone on some exit paths but not on 1 other`
		if err := step(); err != nil {
			return err
		}
	}
	os.Unsetenv("TRACE")
	return nil
}

var (
	loading bool
	loadMu  sync.Mutex
)

// A plain bool under a lock: a deferred assignment would not hold it.
func locked() error {
	loadMu.Lock()
	loading = true // want `loading is set to true and reset on some exit paths but not on 1 other`
	loadMu.Unlock()
	if err := step(); err != nil {
		return err
	}
	loadMu.Lock()
	loading = false
	loadMu.Unlock()
	return nil
}

// In a loop: one defer would reset once, at the end.
func loop(names []string) error {
	for range names {
		loading = true // want `loading is set to true and reset on some exit paths but not on 1 other`
		if err := step(); err != nil {
			return err
		}
		loading = false
	}
	return nil
}

// The reset reads a variable that changes before it runs.
func savedChanges() error {
	old := os.Getenv("HOME")
	os.Setenv("HOME", "/tmp") // want `os\.Setenv\("HOME", …\) is undone on some exit paths but not on 1 other`
	if err := step(); err != nil {
		return err
	}
	old = old + "/"
	os.Setenv("HOME", old)
	return nil
}

// The reset also runs when the CompareAndSwap failed: deleting it would
// change that path.
func resetOnOtherBranch() error {
	if stopping.CompareAndSwap(false, true) { // want `stopping is set to true and reset on some exit paths but not on 1 other`
		if err := step(); err != nil {
			return err
		}
	}
	stopping.Store(false)
	return nil
}

// The reset also runs when the set failed.
func resetOnFailedSet() error {
	err := os.Setenv("TRACE", "1") // want `os\.Setenv\("TRACE", …\) is undone on some exit paths but not on 1 other`
	if err != nil {
		os.Unsetenv("TRACE")
		return err
	}
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("TRACE")
	return nil
}
