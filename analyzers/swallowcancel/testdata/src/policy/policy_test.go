package policy

import (
	"context"
	"log"
	"testing"
)

// Test files are not reported without -swallowcancel.tests: silent.
func helper(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil {
			log.Print(err)
		}
	}
}

func TestPoll(t *testing.T) { _ = helper }
