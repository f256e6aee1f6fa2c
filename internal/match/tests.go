package match

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
)

// TestSupport reports whether pkg, with the given syntax, is code written
// for tests rather than for a program: testing itself, a package named as
// Go names its test helpers (httptest, fstest, stacktest, pqtest,
// testutil, …testing), or one whose own files, not its tests, import
// testing. Hazards that harm a running service harm no one there.
//
// The name alone is not enough, and a name that merely starts with "test"
// is not taken: a package's tests are test files, which the framework
// already leaves out unless -NAME.tests is set.
func TestSupport(fset *token.FileSet, pkg *types.Package, files []*ast.File) bool {
	switch name := pkg.Name(); {
	case name == "testing",
		strings.HasSuffix(name, "test"),
		strings.HasSuffix(name, "testing"),
		strings.Contains(name, "testutil"):
		return true
	}
	for _, file := range files {
		if IsTestFile(fset, file.Pos()) {
			continue // the package's own tests may import testing
		}
		for _, imp := range file.Imports {
			if imp.Path.Value == `"testing"` {
				return true
			}
		}
	}
	return false
}

// TestSupportFile reports whether the file holding pos is a file of test
// helpers in a package for programs, named so (gin's test_helpers.go,
// testing.go, testutil.go, …_testutil.go). A _test.go file is a test, not
// a helper: whether tests are reported is the -NAME.tests flag's to say.
func TestSupportFile(fset *token.FileSet, pos token.Pos) bool {
	if IsTestFile(fset, pos) {
		return false
	}
	name := strings.ToLower(strings.TrimSuffix(filepath.Base(fset.File(pos).Name()), ".go"))
	return strings.HasPrefix(name, "test") || strings.HasSuffix(name, "testing") || strings.HasSuffix(name, "testutil")
}

// IsTestFile reports whether pos is in a _test.go file.
func IsTestFile(fset *token.FileSet, pos token.Pos) bool {
	f := fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}
