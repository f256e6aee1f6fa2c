package nojitter

import "time"

// waitReady is a test helper in a non-test file: its lockstep harms no one.
func waitReady(ready func() bool) {
	for i := 0; !ready(); i++ {
		time.Sleep(time.Duration(1<<i) * time.Millisecond) // silent
	}
}
