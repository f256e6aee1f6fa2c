package fix_test

import (
	"go/format"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/srctest"
)

// TestDedupGroupsImports checks that the imports several AddImport calls
// add to a file without an import block become one gofmt-sorted block.
func TestDedupGroupsImports(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"no imports", "package p\n\nfunc f() { /*@*/ }\n",
			"package p\n\nimport (\n\t\"context\"\n\n\t\"example.com/task\"\n)\n\nfunc f() {}\n"},
		{"one single-line import", "package p\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n\nfunc f() { /*@*/ }\n",
			"package p\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\n\t\"example.com/task\"\n)\n\nvar _ = fmt.Sprint\n\nfunc f() {}\n"},
		{"one single-line import with a comment", "package p\n\nimport \"fmt\" // for Sprint\n\nvar _ = fmt.Sprint\n\nfunc f() { /*@*/ }\n",
			"package p\n\nimport (\n\t\"context\"\n\t\"fmt\" // for Sprint\n\n\t\"example.com/task\"\n)\n\nvar _ = fmt.Sprint\n\nfunc f() {}\n"},
		{"two single-line imports", "package p\n\nimport \"fmt\"\nimport \"os\"\n\nvar _, _ = fmt.Sprint, os.Exit\n\nfunc f() { /*@*/ }\n",
			"package p\n\nimport \"fmt\"\nimport \"os\"\nimport (\n\t\"context\"\n\n\t\"example.com/task\"\n)\n\nvar _, _ = fmt.Sprint, os.Exit\n\nfunc f() {}\n"},
	} {
		p := srctest.Check(t, map[string]string{"example.com/task": "package task\nfunc Go() {}\n"}, "p", tc.src)
		file := p.Files[0]
		pos := file.FileStart + token.Pos(strings.Index(p.Srcs[0], marker))
		var edits []analysis.TextEdit
		for _, imp := range []struct{ path, name, member string }{
			{"example.com/task", "task", "Go"},
			{"context", "context", "Context"},
			{"context", "context", "Background"},
		} {
			_, e, ok := fix.AddImport(p.Info, file, pos, imp.path, imp.name, imp.member)
			if !ok {
				t.Fatalf("%s: AddImport(%s) failed", tc.name, imp.path)
			}
			edits = append(edits, e...)
		}
		got := apply(t, file, p.Srcs[0], fix.Dedup(edits))
		got = strings.Replace(got, " /*@*/ ", "", 1)
		formatted, err := format.Source([]byte(got))
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, got)
		}
		if string(formatted) != tc.want {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", tc.name, formatted, tc.want)
		}
	}
}
