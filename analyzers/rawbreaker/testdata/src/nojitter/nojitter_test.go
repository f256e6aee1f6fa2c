package nojitter

import "time"

// Test files are silent unless -rawbreaker.tests is set.
func retryInTest() {
	for d := time.Millisecond; create() != nil; d *= 2 {
		time.Sleep(d)
	}
}
