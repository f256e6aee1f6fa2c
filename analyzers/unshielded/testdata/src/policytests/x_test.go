package policytests

import (
	"context"
	"testing"
	"time"
)

// With -unshielded.tests, test files are reported too.
func helper(ctx context.Context, d time.Duration) error {
	time.Sleep(d) // want `time.Sleep is not interrupted`
	return nil
}

func TestHelper(t *testing.T) { _ = helper(context.Background(), 0) }
