package fix_test

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/srctest"
)

var stubs = map[string]string{
	"example.com/task":                   "package task\n\nfunc Go() {}\n",
	"example.com/other/task":             "package task\n\nfunc Go() {}\n",
	"example.com/lib":                    "package lib\n\nvar V int\n",
	"example.com/new":                    "package new\n\nfunc Go() {}\n",
	"github.com/resilvet/resilvet/x":     "package x\n\nvar V int\n",
	"github.com/resilvet/resilvet/y":     "package y\n\nvar V int\n",
	"github.com/resilvet/resilvet/rt/z":  "package z\n\nfunc Go() {}\n",
	"github.com/zzz/aaa":                 "package aaa\n\nvar V int\n",
	"vendor/golang.org/x/sync/errgroup":  "package errgroup\n\ntype Group struct{}\n\nfunc WithContext() {}\n",
	"github.com/resilvet/resilvet/rt/gr": "package gr\n\nfunc Go() {}\n",
}

// marker precedes the expression `nil` at which the fix refers to the
// member: the test replaces marker+nil by prefix+member.
const marker = "/*@*/"

type addCase struct {
	name           string
	srcs           []string // srcs[0] holds the marker
	path, pkg, mem string
	wantPrefix     string
	wantOK         bool
	want           string // srcs[0] after the fix, or "" to check only that it builds
	wantNoEdits    bool
}

func TestAddImport(t *testing.T) {
	testAddImport(t, "example.com/p", addCases)
	testAddImport(t, "example.com/p", placeCases)
	testAddImport(t, "example.com/task", selfCases)
}

func testAddImport(t *testing.T, pkgPath string, cases []addCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := srctest.Check(t, stubs, pkgPath, tc.srcs...)
			src := tc.srcs[0]
			at := strings.Index(src, marker)
			if at < 0 || !strings.HasPrefix(src[at+len(marker):], "nil") {
				t.Fatal("no marker before nil")
			}
			file := p.Files[0]
			pos := file.FileStart + token.Pos(at+len(marker))
			prefix, edits, ok := fix.AddImport(p.Info, file, pos, tc.path, tc.pkg, tc.mem)
			if ok != tc.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tc.wantOK)
			}
			if !ok {
				if prefix != "" || edits != nil {
					t.Errorf("not ok, yet prefix %q and edits %v", prefix, edits)
				}
				return
			}
			if prefix != tc.wantPrefix {
				t.Errorf("prefix = %q, want %q", prefix, tc.wantPrefix)
			}
			if tc.wantNoEdits != (len(edits) == 0) {
				t.Errorf("edits = %v, want none: %v", edits, tc.wantNoEdits)
			}
			use := analysis.TextEdit{Pos: pos - token.Pos(len(marker)), End: pos + 3, NewText: []byte(prefix + tc.mem)}
			got := apply(t, file, src, append(edits, use))
			if tc.want != "" && got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			checkResult(t, pkgPath, tc, got)
		})
	}
}

// apply applies edits to src, the source of file.
func apply(t *testing.T, file *ast.File, src string, edits []analysis.TextEdit) string {
	t.Helper()
	slices.SortStableFunc(edits, func(a, b analysis.TextEdit) int { return int(a.Pos - b.Pos) })
	var buf bytes.Buffer
	last := 0
	for _, e := range edits {
		start, end := int(e.Pos-file.FileStart), int(e.End-file.FileStart)
		if start < last || end < start || end > len(src) {
			t.Fatalf("bad or overlapping edit %+v", e)
		}
		buf.WriteString(src[last:start])
		buf.Write(e.NewText)
		last = end
	}
	buf.WriteString(src[last:])
	return buf.String()
}

// checkResult checks that got is gofmt-clean, builds with the case's other
// files, and that the member written in place of the marker denotes
// tc.path's member.
func checkResult(t *testing.T, pkgPath string, tc addCase, got string) {
	t.Helper()
	if formatted, err := format.Source([]byte(got)); err != nil {
		t.Fatalf("result does not parse: %v\n%s", err, got)
	} else if string(formatted) != got {
		t.Errorf("result is not gofmt-clean:\n%s\ngofmt:\n%s", got, formatted)
	}
	srcs := append([]string{got}, tc.srcs[1:]...)
	p, err := srctest.CheckErr(stubs, pkgPath, srcs...)
	if err != nil {
		t.Fatalf("result does not build: %v\n%s", err, got)
	}
	// The test wrote the member as the value of a `var _ any =`
	// declaration; it must denote tc.path's member.
	found := false
	for id, obj := range p.Info.Uses {
		if id.Name == tc.mem && p.Fset.File(id.Pos()) == p.Fset.File(p.Files[0].FileStart) &&
			obj.Pkg() != nil && match.PkgPath(obj.Pkg()) == tc.path && isVarRHS(p.Files[0], id) {
			found = true
		}
	}
	if !found {
		t.Errorf("the inserted reference does not denote %s.%s:\n%s", tc.path, tc.mem, got)
	}
}

// isVarRHS reports whether id is (the selector of) the value of a
// `var _ any = …` declaration: where the test wrote the member.
func isVarRHS(f *ast.File, id *ast.Ident) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 || vs.Type == nil {
			return true
		}
		if it, ok := vs.Type.(*ast.Ident); !ok || it.Name != "any" {
			return true
		}
		switch v := vs.Values[0].(type) {
		case *ast.Ident:
			found = found || v == id
		case *ast.SelectorExpr:
			found = found || v.Sel == id
		}
		return true
	})
	return found
}

// TestAddImportTwice checks that a fix that adds two imports to a file
// without imports builds, whichever order the driver applies the two
// insertions at the same position in.
func TestAddImportTwice(t *testing.T) {
	src := "package p\n\nfunc f() { var _ any = /*@*/nil }\n"
	p := srctest.Check(t, stubs, "example.com/p", src)
	file := p.Files[0]
	at := strings.Index(src, marker)
	pos := file.FileStart + token.Pos(at+len(marker))
	p1, e1, ok1 := fix.AddImport(p.Info, file, pos, "context", "context", "Background")
	p2, e2, ok2 := fix.AddImport(p.Info, file, pos, "example.com/task", "task", "Go")
	if !ok1 || !ok2 {
		t.Fatal("not ok")
	}
	use := analysis.TextEdit{Pos: pos - token.Pos(len(marker)), End: pos + 3, NewText: []byte("[]any{" + p1 + "Background, " + p2 + "Go}")}
	for _, edits := range [][]analysis.TextEdit{
		{e1[0], e2[0], use},
		{e2[0], e1[0], use},
	} {
		got := apply(t, file, src, edits)
		if formatted, err := format.Source([]byte(got)); err != nil || string(formatted) != got {
			t.Errorf("not gofmt-clean (%v):\n%s", err, got)
		}
		if _, err := srctest.CheckErr(stubs, "example.com/p", got); err != nil {
			t.Errorf("does not build: %v\n%s", err, got)
		}
	}
}
