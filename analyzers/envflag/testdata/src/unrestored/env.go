package unrestored

import (
	"errors"
	"fmt"
	"os"
)

func step() error { return nil }

// The post-mortem's shape: cleared by hand on the exception paths, one
// of which forgot.
func boot() error {
	os.Setenv("NODE_BOOTING", "1") // want `os\.Setenv\("NODE_BOOTING", …\) is undone on some exit paths but not on 1 other: NODE_BOOTING stays set for the whole process; defer the reset, or use coord\.SetEnv`
	if err := step(); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return err
	}
	if err := step(); err != nil {
		return fmt.Errorf("second step: %w", err)
	}
	os.Unsetenv("NODE_BOOTING")
	return nil
}

// A panic is an exit path too.
func bootPanics(ok bool) {
	os.Setenv("NODE_BOOTING", "1") // want `os\.Setenv\("NODE_BOOTING", …\) is undone on some exit paths but not on 1 other`
	if !ok {
		panic("boot failed")
	}
	os.Unsetenv("NODE_BOOTING")
}

// Silent: the reset is deferred.
func deferred() error {
	os.Setenv("NODE_BOOTING", "1")
	defer os.Unsetenv("NODE_BOOTING")
	return step()
}

// Silent: reset on every path.
func everyPath() error {
	os.Setenv("NODE_BOOTING", "1")
	if err := step(); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return err
	}
	os.Unsetenv("NODE_BOOTING")
	return nil
}

// Silent: never reset here; set for the rest of the process.
func main2() {
	os.Setenv("GOGC", "off")
	_ = step()
}

// Silent: a rollback: the variable stays set when the function succeeds,
// and every failure undoes it.
func configure() error {
	os.Setenv("APP_MODE", "server")
	if err := step(); err != nil {
		os.Unsetenv("APP_MODE")
		return err
	}
	return nil
}

// Restored to the saved value, but not when the second step fails.
func withSaved() error {
	old := os.Getenv("PATH")
	os.Setenv("PATH", "/opt/bin") // want `os\.Setenv\("PATH", …\) is undone on some exit paths but not on 1 other`
	if err := step(); err != nil {
		return errors.New("failed")
	}
	os.Setenv("PATH", old)
	return nil
}

// Silent: the set failed on the err branch.
func checked() error {
	if err := os.Setenv("K", "v"); err != nil {
		return err
	}
	err := step()
	os.Unsetenv("K")
	return err
}

func reset() { os.Unsetenv("NODE_BOOTING") }

// Silent: a helper resets on every path.
func viaHelper() error {
	os.Setenv("NODE_BOOTING", "1")
	if err := step(); err != nil {
		reset()
		return err
	}
	reset()
	return nil
}

// Silent: a local helper is deferred.
func localDeferred() error {
	os.Setenv("NODE_BOOTING", "1")
	undo := func() { os.Unsetenv("NODE_BOOTING") }
	defer undo()
	return step()
}

// A local helper, called on one path only.
func localHelper() error {
	os.Setenv("NODE_BOOTING", "1") // want `os\.Setenv\("NODE_BOOTING", …\) is undone on some exit paths but not on 1 other`
	undo := func() { os.Unsetenv("NODE_BOOTING") }
	if err := step(); err != nil {
		return err
	}
	undo()
	return nil
}

// Silent: os.Exit ends the process.
func exits() {
	os.Setenv("NODE_BOOTING", "1")
	if step() != nil {
		os.Exit(1)
	}
	os.Unsetenv("NODE_BOOTING")
}

// Silent: a deferred literal resets.
func deferredLiteral() error {
	os.Setenv("NODE_BOOTING", "1")
	defer func() {
		os.Unsetenv("NODE_BOOTING")
	}()
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("NODE_BOOTING")
	return nil
}

// Silent: a deferred helper resets.
func deferredHelper() error {
	os.Setenv("NODE_BOOTING", "1")
	defer reset()
	return step()
}

func onShutdown(f func()) {}

// Silent: the reset is handed to code that runs later.
func handedOn() error {
	os.Setenv("NODE_BOOTING", "1")
	onShutdown(func() { os.Unsetenv("NODE_BOOTING") })
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("NODE_BOOTING")
	return nil
}
