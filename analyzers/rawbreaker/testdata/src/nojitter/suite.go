package nojitter

import (
	"testing"
	"time"
)

// A test suite shipped beside the package's own code, as temporal's
// internal_workflow_testsuite.go is: this file imports testing, so its
// waits are for tests (silent), while the package's other files are
// checked as usual (nojitter.go).
func waitForSuite(t testing.TB, ready func() bool) {
	for d := time.Millisecond; !ready(); d *= 2 {
		time.Sleep(d) // silent
	}
}
