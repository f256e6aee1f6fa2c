package match

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
)

// TestSupportPkg reports whether pkg is named as Go names packages of
// code for tests: testing itself, httptest, fstest, stacktest, pqtest,
// testutil, …testing. Hazards that harm a running service harm no one
// there. A name that merely starts with "test" is not taken.
func TestSupportPkg(pkg *types.Package) bool {
	name := pkg.Name()
	return name == "testing" ||
		strings.HasSuffix(name, "test") ||
		strings.HasSuffix(name, "testing") ||
		strings.Contains(name, "testutil")
}

// TestSupportFile reports whether file, of a package for programs, holds
// helpers for tests: it imports testing (temporal's
// internal_workflow_testsuite.go, beside the SDK's own code), or it is
// named so (gin's test_helpers.go, testing.go, …testutil.go). The file,
// not its package, is the unit: such packages mix the two.
//
// A _test.go file is a test, not a helper: whether tests are reported is
// the -NAME.tests flag's to say.
func TestSupportFile(fset *token.FileSet, file *ast.File) bool {
	if file == nil || IsTestFile(fset, file.Pos()) {
		return false
	}
	if ImportsTesting(file) {
		return true
	}
	name := strings.ToLower(strings.TrimSuffix(filepath.Base(fset.File(file.Pos()).Name()), ".go"))
	return strings.HasPrefix(name, "test") || strings.HasSuffix(name, "testing") || strings.HasSuffix(name, "testutil")
}

// ImportsTesting reports whether file imports package testing.
func ImportsTesting(file *ast.File) bool {
	for _, imp := range file.Imports {
		if imp.Path.Value == `"testing"` {
			return true
		}
	}
	return false
}

// IsTestFile reports whether pos is in a _test.go file.
func IsTestFile(fset *token.FileSet, pos token.Pos) bool {
	f := fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}
