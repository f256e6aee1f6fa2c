// Package oldgo is a go 1.20 module: requiring the runtime (go 1.21)
// would raise its go line, so no fix imports it.
package oldgo

import "time"

func poll(ready func() bool) {
	for d := time.Millisecond; !ready(); d *= 2 {
		time.Sleep(d) // want `retry delay grows exponentially`
	}
}
