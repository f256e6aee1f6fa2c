package fleet_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var names atomic.Int64

// uniqueName returns a fleet name no other test, nor another run of t (with
// -count), has used: runtime/breaker's registry is the process's, and keeps
// the first Manager's OnStateChange for a name for ever.
func uniqueName(t *testing.T) string {
	return fmt.Sprintf("%s.%d", t.Name(), names.Add(1))
}
