package defaults

import (
	"context"
	"os/exec"
	"sync"
	"time"
)

var (
	once sync.Once
	out  []byte
)

// With the default rules only detached-call reports: detached-wait and
// shared-work are off until their measured precision reaches 90%.
func run(ctx context.Context) error {
	time.Sleep(5 * time.Second) // detached-wait is off by default: silent
	once.Do(func() {
		out, _ = exec.CommandContext(ctx, "date").Output() // shared-work is off by default: silent
	})
	return exec.Command("true").Run() // want `exec.Command is not cancelled when ctx is`
}
