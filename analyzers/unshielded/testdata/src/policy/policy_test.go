package policy

import (
	"context"
	"testing"
	"time"
)

// Test files are not reported without -unshielded.tests: silent.
func helper(ctx context.Context, d time.Duration) error {
	time.Sleep(d)
	return nil
}

func TestPoll(t *testing.T) { _ = helper(context.Background(), 0) }
