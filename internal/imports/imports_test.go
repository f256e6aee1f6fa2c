package imports_test

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/imports"
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

var addCases = []addCase{
	{
		name: "reuse plain import",
		srcs: []string{`package p

import "example.com/task"

func f() { task.Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true, wantNoEdits: true,
	},
	{
		name: "reuse renamed import",
		srcs: []string{`package p

import tk "example.com/task"

func f() { tk.Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "tk.", wantOK: true, wantNoEdits: true,
	},
	{
		name: "reuse dot import",
		srcs: []string{`package p

import . "example.com/task"

func f() { Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "", wantOK: true, wantNoEdits: true,
	},
	{
		name: "dot import whose member is shadowed",
		srcs: []string{`package p

import . "example.com/task"

func f() {
	Go()
	Go := 1
	_ = Go
	var _ any = /*@*/nil
}
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantOK: false,
	},
	{
		name: "import shadowed at pos",
		srcs: []string{`package p

import "example.com/task"

func f() {
	task.Go()
	task := 1
	_ = task
	var _ any = /*@*/nil
}
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantOK: false,
	},
	{
		name: "renamed import shadowed, plain one visible",
		srcs: []string{`package p

import (
	"example.com/task"
	tk "example.com/task"
)

func f(tk int) { task.Go(); var _ any = /*@*/nil }

func g() { tk.Go() }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true, wantNoEdits: true,
	},
	{
		name: "blank import present",
		srcs: []string{`package p

import (
	"fmt"

	_ "example.com/task"
)

func f() { fmt.Println(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `package p

import (
	"fmt"

	"example.com/task"
	_ "example.com/task"
)

func f() { fmt.Println(); var _ any = task.Go }
`,
	},
	{
		name: "no imports",
		srcs: []string{`// Package p is a test.
package p // trailing

// f does things.
func f() { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `// Package p is a test.
package p // trailing

import "example.com/task"

// f does things.
func f() { var _ any = task.Go }
`,
	},
	{
		name: "no imports, no doc",
		srcs: []string{`package p

var _ any = /*@*/nil
`},
		path: "time", pkg: "time", mem: "Now",
		wantPrefix: "time.", wantOK: true,
		want: `package p

import "time"

var _ any = time.Now
`,
	},
	{
		name: "single imports",
		srcs: []string{`package p

import "fmt"
import "os" // trailing

func f() { fmt.Println(os.Args); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `package p

import "fmt"
import "os" // trailing
import "example.com/task"

func f() { fmt.Println(os.Args); var _ any = task.Go }
`,
	},
	{
		name: "std into std block, sorted",
		srcs: []string{`package p

import (
	"fmt"
	"sync"

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = /*@*/nil }
`},
		path: "os", pkg: "os", mem: "Exit",
		wantPrefix: "os.", wantOK: true,
		want: `package p

import (
	"fmt"
	"os"
	"sync"

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = os.Exit }
`,
	},
	{
		name: "std first in its block, before a doc comment",
		srcs: []string{`package p

import (
	// fmt prints.
	"fmt"
	"sync" // locks
)

func f() { fmt.Println(sync.Mutex{}); var _ any = /*@*/nil }
`},
		path: "errors", pkg: "errors", mem: "New",
		wantPrefix: "errors.", wantOK: true,
		want: `package p

import (
	"errors"
	// fmt prints.
	"fmt"
	"sync" // locks
)

func f() { fmt.Println(sync.Mutex{}); var _ any = errors.New }
`,
	},
	{
		name: "std last in its block, after a line comment",
		srcs: []string{`package p

import (
	"fmt"
	"sync" // locks

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = /*@*/nil }
`},
		path: "time", pkg: "time", mem: "Now",
		wantPrefix: "time.", wantOK: true,
		want: `package p

import (
	"fmt"
	"sync" // locks
	"time"

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = time.Now }
`,
	},
	{
		name: "non-std next to its closest relative",
		srcs: []string{`package p

import (
	"fmt"

	"github.com/zzz/aaa"

	"github.com/resilvet/resilvet/x"
	"github.com/resilvet/resilvet/y"
)

func f() { fmt.Println(aaa.V, x.V, y.V); var _ any = /*@*/nil }
`},
		path: "github.com/resilvet/resilvet/rt/z", pkg: "z", mem: "Go",
		wantPrefix: "z.", wantOK: true,
		want: `package p

import (
	"fmt"

	"github.com/zzz/aaa"

	"github.com/resilvet/resilvet/rt/z"
	"github.com/resilvet/resilvet/x"
	"github.com/resilvet/resilvet/y"
)

func f() { fmt.Println(aaa.V, x.V, y.V); var _ any = z.Go }
`,
	},
	{
		name: "non-std into a std-only group",
		srcs: []string{`package p

import (
	"fmt"
	"os"
)

func f() { fmt.Println(os.Args); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `package p

import (
	"fmt"
	"os"

	"example.com/task"
)

func f() { fmt.Println(os.Args); var _ any = task.Go }
`,
	},
	{
		name: "std into a non-std-only group",
		srcs: []string{`package p

import (
	"example.com/lib"
)

func f() { _ = lib.V; var _ any = /*@*/nil }
`},
		path: "context", pkg: "context", mem: "Background",
		wantPrefix: "context.", wantOK: true,
		want: `package p

import (
	"context"

	"example.com/lib"
)

func f() { _ = lib.V; var _ any = context.Background }
`,
	},
	{
		name: "name taken by a local at pos",
		srcs: []string{`package p

import "fmt"

func f(task int) { fmt.Println(task); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task2.", wantOK: true,
		want: `package p

import "fmt"
import task2 "example.com/task"

func f(task int) { fmt.Println(task); var _ any = task2.Go }
`,
	},
	{
		name: "name taken by an import of another path",
		srcs: []string{`package p

import (
	"example.com/other/task"
)

func f() { task.Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task2.", wantOK: true,
		want: `package p

import (
	"example.com/other/task"
	task2 "example.com/task"
)

func f() { task.Go(); var _ any = task2.Go }
`,
	},
	{
		name: "name taken at package scope in another file, task2 too",
		srcs: []string{`package p

func f() { var _ any = /*@*/nil }
`, `package p

var task, task2 int
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task3.", wantOK: true,
		want: `package p

import task3 "example.com/task"

func f() { var _ any = task3.Go }
`,
	},
	{
		name: "another file's import does not count",
		srcs: []string{`package p

func f() { var _ any = /*@*/nil }
`, `package p

import "example.com/task"

var _ = task.Go
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
	},
	{
		name: "a local declared after pos does not count",
		srcs: []string{`package p

func f() {
	var _ any = /*@*/nil
	task := 1
	_ = task
}
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
	},
	{
		name: "name taken by a type parameter",
		srcs: []string{`package p

func f[task any]() { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task2.", wantOK: true,
	},
	{
		name: "predeclared name",
		srcs: []string{`package p

func f() { var _ any = /*@*/nil }
`},
		path: "example.com/new", pkg: "new", mem: "Go",
		wantPrefix: "new2.", wantOK: true,
		want: `package p

import new2 "example.com/new"

func f() { var _ any = new2.Go }
`,
	},
	{
		name: "vendored package: the import path as written counts",
		srcs: []string{`package p

import "golang.org/x/sync/errgroup"

var _ errgroup.Group
var _ any = /*@*/nil
`},
		path: "golang.org/x/sync/errgroup", pkg: "errgroup", mem: "WithContext",
		wantPrefix: "errgroup.", wantOK: true, wantNoEdits: true,
	},
}

// selfCases refer to a member of the package being fixed.
var selfCases = []addCase{
	{
		name: "own package",
		srcs: []string{`package task

func Go() {}

func f() { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "", wantOK: true, wantNoEdits: true,
	},
	{
		name: "own package, member shadowed",
		srcs: []string{`package task

func Go() {}

func f(Go int) { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantOK: false,
	},
}

func TestAddImport(t *testing.T) {
	testAddImport(t, "example.com/p", addCases)
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
			prefix, edits, ok := imports.AddImport(p.Info, file, pos, tc.path, tc.pkg, tc.mem)
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
	p1, e1, ok1 := imports.AddImport(p.Info, file, pos, "context", "context", "Background")
	p2, e2, ok2 := imports.AddImport(p.Info, file, pos, "example.com/task", "task", "Go")
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

func TestFreshName(t *testing.T) {
	src := `package p

var fn = 1

type T struct{ recv1 int }

func f(ctx int) {
	/*@*/
	{
		ctx1 := 2
		_ = ctx1
	}
	recv := T{recv1: 3}
	_ = recv.recv1
done:
	for {
		break done
	}
	_ = ctx
}

func g() {
	{
		other := 1
		_ = other
	}
	{
		/*@*/
	}
}
`
	p := srctest.Check(t, stubs, "example.com/p", src)
	file := p.Files[0]
	first := strings.Index(src, marker)
	second := first + 1 + strings.Index(src[first+1:], marker)
	for _, tc := range []struct {
		at         int
		base, want string
	}{
		{first, "fn", "fn1"},       // package-level fn visible at pos
		{first, "ctx", "ctx2"},     // parameter visible; ctx1 declared in a nested block
		{first, "recv", "recv1"},   // declared later in the scope; recv1 is only a field
		{first, "len", "len1"},     // predeclared
		{first, "done", "done"},    // only a label
		{first, "x", "x"},          // unused
		{second, "other", "other"}, // declared in a sibling block only
		{second, "fn", "fn1"},
		{second, "g", "g1"}, // the function itself
	} {
		pos := file.FileStart + token.Pos(tc.at+len(marker))
		if got := imports.FreshName(p.Info, file, pos, tc.base); got != tc.want {
			t.Errorf("FreshName(%s at offset %d) = %s, want %s", tc.base, tc.at, got, tc.want)
		}
	}
}

// TestFreshNameUse checks that a package-level name declared after pos
// counts as taken: a declaration at pos would capture the reference.
func TestFreshNameUse(t *testing.T) {
	src := `package p

func f() {
	func() {
		/*@*/
		_ = h
	}()
}

var h = 1
`
	p := srctest.Check(t, stubs, "example.com/p", src)
	file := p.Files[0]
	pos := file.FileStart + token.Pos(strings.Index(src, marker)+len(marker))
	if got := imports.FreshName(p.Info, file, pos, "h"); got != "h1" {
		t.Errorf("FreshName(h) = %s, want h1", got)
	}
}
