package match_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/resilvet/resilvet/internal/match"
)

func TestTestSupport(t *testing.T) {
	parse := func(fset *token.FileSet, name, src string) *ast.File {
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, tc := range []struct {
		pkg   string
		files map[string]string // file name → imports
		want  bool
	}{
		{"testing", nil, true},
		{"httptest", nil, true},
		{"stacktest", nil, true},
		{"kubetesting", nil, true},
		{"testutil", nil, true},
		{"storetestutils", nil, true},
		{"helpers", map[string]string{"h.go": `"testing"`}, true},
		// The package's own tests import testing; it is not test support.
		{"server", map[string]string{"s.go": `"net"`, "s_test.go": `"testing"`}, false},
		// Starting with "test" is not enough: the rule's own testdata package.
		{"testsflag", map[string]string{"t.go": `"time"`}, false},
		{"latest", nil, true}, // a known cost of the suffix rule: named like httptest
	} {
		fset := token.NewFileSet()
		var files []*ast.File
		for name, imp := range tc.files {
			files = append(files, parse(fset, name, "package "+tc.pkg+"\nimport "+imp+"\n"))
		}
		if got := match.TestSupport(fset, types.NewPackage("example.com/"+tc.pkg, tc.pkg), files); got != tc.want {
			t.Errorf("TestSupport(%s, %v) = %v, want %v", tc.pkg, tc.files, got, tc.want)
		}
	}
}

func TestTestSupportFile(t *testing.T) {
	for name, want := range map[string]bool{
		"test_helpers.go":  true, // gin
		"testing.go":       true,
		"testutil.go":      true,
		"db_testutil.go":   true,
		"server.go":        false,
		"latest.go":        false,
		"server_test.go":   false, // a test: the -tests flag decides
		"testing_test.go":  false,
		"TestHelpers.go":   true,
		"contest_entry.go": false,
	} {
		fset := token.NewFileSet()
		f := fset.AddFile("/src/p/"+name, -1, 10)
		if got := match.TestSupportFile(fset, token.Pos(f.Base())); got != want {
			t.Errorf("TestSupportFile(%s) = %v, want %v", name, got, want)
		}
	}
}
