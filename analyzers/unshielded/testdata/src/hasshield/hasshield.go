package hasshield

import (
	"context"
	"sync"
	"time"

	"github.com/resilvet/resilvet/runtime/shield"
)

// The package already imports the runtime, so the fix is offered without
// -unshielded.runtimefixes.
func poll(ctx context.Context, d time.Duration) error {
	time.Sleep(d) // want `time.Sleep is not interrupted`
	return nil
}

func join(ctx context.Context, wg *sync.WaitGroup) error { return shield.Wait(ctx, wg) }
