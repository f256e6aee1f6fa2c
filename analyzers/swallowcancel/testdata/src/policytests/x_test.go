package policytests

import (
	"context"
	"log"
	"testing"
)

// With -swallowcancel.tests, test files are reported.
func helper(ctx context.Context) error {
	for {
		if err := fetch(ctx); err != nil { // want `the error of fetch`
			log.Print(err)
		}
	}
}

func TestPoll(t *testing.T) { _ = helper }
