// Package coordflag holds the post-mortem's in-process coordination flags:
// package-level flags raised for the length of an operation and lowered by
// hand, and a library that sets the process environment.
package coordflag

import (
	"errors"
	"os"
	"sync/atomic"
)

var provisioning atomic.Bool

func provision(name string) error {
	if name == "" {
		return errors.New("no name")
	}
	return nil
}

// Provision lowers the flag by hand: the panic leaves it up, and every
// caller of Provisioning waits for a provisioning that is over.
func Provision(name string) error {
	provisioning.Store(true)
	if err := provision(name); err != nil {
		provisioning.Store(false)
		return err
	}
	if name == "panic" {
		panic("provision: corrupt state")
	}
	provisioning.Store(false)
	return nil
}

// ProvisionFixed lowers it in a defer (silent).
func ProvisionFixed(name string) error {
	provisioning.Store(true)
	defer provisioning.Store(false)
	return provision(name)
}

// Provisioning reports whether a provisioning is in progress.
func Provisioning() bool { return provisioning.Load() }

var draining bool

// Drain guards with a plain bool and forgets it on the early return.
func Drain(name string) error {
	draining = true
	if err := provision(name); err != nil {
		return err
	}
	draining = false
	return nil
}

// UseRegion configures the region for the whole program that imports the
// package, under all its goroutines.
func UseRegion(region string) {
	os.Setenv("CLOUD_REGION", region)
}
