package policy

import (
	"context"
	"time"
)

// Without -unshielded.runtimefixes and with the runtime module outside the
// import graph, the shield.Sleep fix is not offered: the .golden file
// equals the source.
func poll(ctx context.Context, d time.Duration) error {
	time.Sleep(d) // want `time.Sleep is not interrupted when ctx is cancelled: use shield.Sleep\(ctx, d\)`
	return nil
}
