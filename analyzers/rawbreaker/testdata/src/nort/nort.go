//go:build go1.21

// Package nort does not depend on the runtime module: fixes that import it
// are offered only with -rawbreaker.runtimefixes.
package nort

import "time"

func poll(ready func() bool) {
	for d := time.Millisecond; !ready(); d *= 2 {
		time.Sleep(d) // want `retry delay grows exponentially`
	}
}
