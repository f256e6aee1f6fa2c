// Package other defines a second stand-in analyzer for the driver's tests,
// whose fixes meet the sample analyzer's in one function.
//
// # Analyzer other
//
// other: report calls UseB(Next())
//
// # Rule bind
//
// bind: a call UseB(Next()); the fix binds the function and the argument
// to variables whose names are fresh in the code it sees
package other

import (
	_ "embed"
	"go/ast"

	"github.com/resilvet/resilvet/internal/driver/testdata/sampletool/sample"
	"github.com/resilvet/resilvet/internal/lint"
)

//go:embed other.go
var doc string

// Analyzer is the second stand-in analyzer.
var Analyzer = lint.New(lint.Spec{
	Name:  "other",
	Doc:   doc,
	Rules: []*lint.Rule{ruleBind},
	Run:   run,
})

var ruleBind = &lint.Rule{Name: "bind", Default: true, Since: "v0.1.0"}

func run(pass *lint.Pass) (any, error) {
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if stmt, ok := n.(*ast.ExprStmt); ok {
				if call, ok := stmt.X.(*ast.CallExpr); ok {
					sample.Bind(pass, ruleBind, f, stmt, call, "UseB", "fn")
				}
			}
			return true
		})
	}
	return nil, nil
}
