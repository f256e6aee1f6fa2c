package match_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/resilvet/resilvet/internal/match"
)

func TestTestSupportPkg(t *testing.T) {
	for name, want := range map[string]bool{
		"testing":        true,
		"httptest":       true,
		"stacktest":      true,
		"kubetesting":    true,
		"testutil":       true,
		"storetestutils": true,
		"server":         false,
		"testsflag":      false, // starting with "test" is not enough
		"latest":         true,  // a known cost of the suffix rule: named like httptest
	} {
		if got := match.TestSupportPkg(types.NewPackage("example.com/"+name, name)); got != want {
			t.Errorf("TestSupportPkg(%s) = %v, want %v", name, got, want)
		}
	}
}

func TestTestSupportFile(t *testing.T) {
	for _, tc := range []struct {
		name, imports string
		want          bool
	}{
		{"test_helpers.go", `"net/http"`, true}, // gin
		{"testing.go", `"time"`, true},
		{"testutil.go", `"time"`, true},
		{"db_testutil.go", `"time"`, true},
		{"internal_workflow_testsuite.go", `"testing"`, true}, // temporal: imports testing
		{"internal_task_pollers.go", `"time"`, false},         // its neighbour
		{"server.go", `"time"`, false},
		{"latest.go", `"time"`, false},
		{"server_test.go", `"testing"`, false}, // a test: the -tests flag decides
		{"testing_test.go", `"time"`, false},
		{"TestHelpers.go", `"time"`, true},
		{"contest_entry.go", `"time"`, false},
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "/src/p/"+tc.name, "package p\nimport "+tc.imports+"\n", parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		if got := match.TestSupportFile(fset, f); got != tc.want {
			t.Errorf("TestSupportFile(%s importing %s) = %v, want %v", tc.name, tc.imports, got, tc.want)
		}
	}
	if match.TestSupportFile(token.NewFileSet(), (*ast.File)(nil)) {
		t.Error("TestSupportFile(nil) = true")
	}
}
