package library

import (
	"os"
	"testing"
)

// Silent: a test file (t.Setenv exists, and usetesting reports this).
func TestProxy(t *testing.T) {
	os.Setenv("HTTPS_PROXY", "http://proxy")
	defer os.Unsetenv("HTTPS_PROXY")
}
