// Package hazard holds process-wide state that resilvet -fix restores
// with a defer, and environment variables it moves to a command's Env.
package hazard

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"

	"github.com/resilvet/resilvet/runtime/coord"
)

func step() error { return nil }

var (
	booting bool
	busy    atomic.Bool
	Loading coord.Flag
)

func Boot() error {
	os.Setenv("NODE_BOOTING", "1")
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

func BootFlag(ok bool) {
	booting = true
	if !ok {
		panic("boot failed")
	}
	booting = false
}

func Busy() error {
	if !busy.CompareAndSwap(false, true) {
		return errors.New("busy")
	}
	if err := step(); err != nil {
		return err
	}
	busy.Store(false)
	return nil
}

func Load() error {
	lower := Loading.Raise()
	if err := step(); err != nil {
		return err
	}
	lower()
	return nil
}

func Build(dir string) ([]byte, error) {
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	os.Setenv("CGO_ENABLED", "0")
	defer os.Unsetenv("CGO_ENABLED")
	return cmd.Output()
}

func Vet() error {
	os.Setenv("GOFLAGS", "-mod=mod")
	cmd := exec.Command("go", "vet", "./...")
	err := cmd.Run()
	os.Unsetenv("GOFLAGS")
	return err
}

// No fix: the code after the reset would run with the variable set.
func Trace() error {
	os.Setenv("TRACE", "1")
	if err := step(); err != nil {
		return err
	}
	os.Unsetenv("TRACE")
	fmt.Println("done")
	return nil
}
