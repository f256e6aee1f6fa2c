// Package librarytesting is test support: it imports testing.
package librarytesting

import (
	"os"
	"testing"
)

// Silent: test support sets up the environment for tests.
func Env(tb testing.TB) {
	tb.Helper()
	os.Setenv("DB_URL", "postgres://localhost/test")
}
