// Package inpkg has test files only, in the package itself.
package inpkg

import (
	"testing"

	"example.com/testonly/lib"
)

func TestHazard(t *testing.T) {
	lib.Hazard()
}
