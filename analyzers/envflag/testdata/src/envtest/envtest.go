// Package envtest is test support by its name, as httptest is.
package envtest

import "os"

// Silent: test support.
func Use(k, v string) (restore func()) {
	old := os.Getenv(k)
	os.Setenv(k, v)
	return func() { os.Setenv(k, old) }
}
