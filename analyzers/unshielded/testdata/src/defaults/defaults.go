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

// With the default rules only shared-work reports: detached-wait and
// detached-call are off until their measured precision reaches 90%.
func run(ctx context.Context) error {
	time.Sleep(5 * time.Second) // detached-wait is off by default: silent
	once.Do(func() {
		out, _ = exec.CommandContext(ctx, "date").Output() // want `ctx of this caller reaches work that \(\*sync.Once\).Do shares`
	})
	return exec.Command("true").Run() // detached-call is off by default: silent
}
