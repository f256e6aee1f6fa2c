package testsflag

import "time"

// With -rawbreaker.tests, test files are reported too.
func retryInTest(ready func() bool) {
	for d := time.Millisecond; !ready(); d *= 2 {
		time.Sleep(d) // want `retry delay grows exponentially`
	}
}
