// Package afterfunc starts goroutines that only arm a timer.
package afterfunc

import (
	"context"
	"time"
)

func work() {}

func later() {
	go time.AfterFunc(time.Second, work) // want `go statement only calls time.AfterFunc, which returns at once and runs f on a goroutine of its own: drop the go`
}

func afterCancel(ctx context.Context) {
	go context.AfterFunc(ctx, work) // want `go statement only calls context.AfterFunc`
}
