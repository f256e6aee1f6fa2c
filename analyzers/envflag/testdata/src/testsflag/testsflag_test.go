package testsflag

import (
	"os"
	"testing"
)

// With -envflag.tests, test files are checked too: t.Fatal leaves the
// test's goroutine without the reset, and the next test sees the hook.
func TestHook(t *testing.T) {
	hook = true // want `hook is set to true and reset on some exit paths but not on 1 other`
	if err := step(); err != nil {
		t.Fatal(err)
	}
	hook = false
}

// Still silent for library-setenv: a test is not a library (t.Setenv is
// the tool here, and usetesting reports it).
func TestEnv(t *testing.T) {
	os.Setenv("TRACE", "1")
}
