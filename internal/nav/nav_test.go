package nav_test

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"testing"

	"github.com/resilvet/resilvet/internal/nav"
	"github.com/resilvet/resilvet/internal/srctest"
)

// Each mark("label") is an expression statement; cases gives, for its
// cursor, the innermost enclosing loop's kind ("for", "range", "" for
// none), whether the statement is in a statement list, and the number of
// results of the enclosing function (-1: none).
const src = `package p

func mark(label string) {}

func f() (int, error) {
	mark("body")
	for {
		mark("for")
		for range 3 {
			mark("range")
			func() { mark("lit") }()
		}
	}
}

func g() {
	switch {
	case true:
		mark("case")
	}
	select {
	default:
		mark("comm")
	}
l:
	mark("labelled")
	goto l
}
`

var cases = map[string]struct {
	loop    string
	inList  bool
	results int
}{
	"body":     {"", true, 2},
	"for":      {"for", true, 2},
	"range":    {"range", true, 2},
	"lit":      {"", true, 0},
	"case":     {"", true, 0},
	"comm":     {"", true, 0},
	"labelled": {"", true, 0},
}

func TestLoopsListsResults(t *testing.T) {
	p := srctest.Check(t, nil, "example.com/p", src)
	seen := 0
	for cur := range p.Inspector.Root().Preorder((*ast.ExprStmt)(nil)) {
		call, ok := cur.Node().(*ast.ExprStmt).X.(*ast.CallExpr)
		if id, isIdent := call.Fun.(*ast.Ident); !ok || !isIdent || id.Name != "mark" {
			continue // not a mark
		}
		seen++
		label := constant.StringVal(p.Info.Types[call.Args[0]].Value)
		want := cases[label]
		loop := ""
		if l, ok := nav.EnclosingLoop(cur); ok {
			switch l.Node().(type) {
			case *ast.ForStmt:
				loop = "for"
			case *ast.RangeStmt:
				loop = "range"
			}
			if outer, ok := nav.EnclosingLoop(l); label == "range" && (!ok || outer.Node() == l.Node()) {
				t.Errorf("range: the loop around the range loop is not found")
			}
		}
		if loop != want.loop {
			t.Errorf("%s: EnclosingLoop is %q, want %q", label, loop, want.loop)
		}
		if got := nav.InStmtList(cur); got != want.inList {
			t.Errorf("%s: InStmtList = %v", label, got)
		}
		res, ok := nav.Results(p.Info, cur)
		if !ok || res.Len() != want.results {
			t.Errorf("%s: Results = %v, %v; want %d", label, res, ok, want.results)
		}
	}
	if seen != len(cases) {
		t.Errorf("%d marks for %d cases", seen, len(cases))
	}
	// A statement that is the body of an if is a block, not an element of
	// a list.
	for cur := range p.Inspector.Root().Preorder((*ast.BlockStmt)(nil)) {
		if nav.InStmtList(cur) {
			t.Errorf("the block at %v is in a statement list", p.Fset.Position(cur.Node().Pos()))
		}
	}
}

func TestAssignment(t *testing.T) {
	t.Parallel()
	const src = `package p

func f() {
	a, b := 1, 2
	a = b
	var c, d = g()
	var e int
	a++
}

func g() (int, int) { return 0, 0 }
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	ast.Inspect(file, func(n ast.Node) bool {
		lhs, rhs := nav.Assignment(n)
		if lhs == nil && rhs == nil {
			return true
		}
		got = append(got, names(lhs)+" = "+names(rhs))
		return true
	})
	want := []string{"a,b = ?,?", "a = b", "c,d = g()", "e = "}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("assignment %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

// names renders identifiers by name, calls as name(), and other operands
// as ?.
func names(es []ast.Expr) string {
	s := ""
	for i, e := range es {
		if i > 0 {
			s += ","
		}
		switch e := e.(type) {
		case *ast.Ident:
			s += e.Name
		case *ast.CallExpr:
			s += e.Fun.(*ast.Ident).Name + "()"
		default:
			s += "?"
		}
	}
	return s
}
