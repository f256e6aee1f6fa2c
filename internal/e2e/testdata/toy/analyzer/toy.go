package toy

import (
	_ "embed"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/lint"
)

//go:embed doc.go
var doc string

// Analyzer reports calls of the print builtins; see the package doc.
var Analyzer = lint.New(lint.Spec{
	Name:     "toy",
	Doc:      doc,
	Rules:    []*lint.Rule{rulePrintln, rulePrint},
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
})

var (
	rulePrintln = &lint.Rule{Name: "println", Default: true, Since: "v0.1.0"}
	rulePrint   = &lint.Rule{Name: "print", Since: "v0.1.0"}
)

func run(pass *lint.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			continue // not a call of a builtin by name
		}
		b, ok := pass.TypesInfo.Uses[id].(*types.Builtin)
		if !ok {
			continue // not a builtin
		}
		switch b.Name() {
		case "println":
			pass.Reportf(rulePrintln, id, "println writes to standard error, unlike fmt.Println: use log or fmt")
		case "print":
			pass.Reportf(rulePrint, id, "print writes to standard error, unlike fmt.Print: use log or fmt")
		}
	}
	return nil, nil
}
