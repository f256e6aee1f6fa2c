//go:build go1.21

package nojitterfix

import "time"

// retry is taken here: the fix imports the runtime's as retry2.
func shadowed(retry int) {
	for d := time.Millisecond; retry > 0 && create() != nil; d *= 2 {
		time.Sleep(d) // want `retry delay grows exponentially`
		retry--
	}
}
