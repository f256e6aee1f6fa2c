package strictcall

import (
	"context"
	"os/exec"
	"time"
)

// The strict profile switches detached-call on; detached-wait stays off.
func run(ctx context.Context) error {
	time.Sleep(5 * time.Second)       // detached-wait is off in the strict profile too: silent
	return exec.Command("true").Run() // want `exec.Command is not cancelled when ctx is`
}
