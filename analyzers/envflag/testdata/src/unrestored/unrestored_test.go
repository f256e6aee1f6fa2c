package unrestored

import "testing"

// Silent: a test file, without -envflag.tests.
func TestBoot(t *testing.T) {
	booting = true
	if err := step(); err != nil {
		t.Fatal(err)
	}
	booting = false
}
