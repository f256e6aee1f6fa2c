package unrestored

import "os"

// Silent: a deferred literal calls the helper that resets.
func deferredLiteralHelper() error {
	os.Setenv("NODE_BOOTING", "1")
	defer func() {
		reset()
	}()
	if err := step(); err != nil {
		return err
	}
	reset()
	return nil
}

// A literal called in place is a function of its own: reported once, for
// the literal.
func inPlace() {
	func() {
		os.Setenv("NODE_BOOTING", "1") // want `os\.Setenv\("NODE_BOOTING", …\) is undone on some exit paths but not on 1 other`
		if step() != nil {
			return
		}
		os.Unsetenv("NODE_BOOTING")
	}()
}

// Silent: the key is a loop variable, a different variable on each
// iteration: restoring a saved environment.
func restoreAll(saved map[string]*string) {
	for k, v := range saved {
		if v != nil {
			os.Setenv(k, *v)
			continue
		}
		os.Unsetenv(k)
	}
}

var blocking bool

func ready() bool { return true }

// Silent: the early return is where the function also leaves before it
// raises the flag; the retry comes back to it (the runtime's gcMarkDone
// has this shape, and a later call lowers the flag).
func markDone() {
top:
	if !ready() {
		return
	}
	blocking = true
	if step() != nil {
		goto top
	}
	blocking = false
}
