package nav_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/resilvet/resilvet/internal/nav"
)

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
