package silentimport

import (
	_ "embed"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

//go:embed doc.go
var doc string

// Analyzer reports fallible dynamic loads whose failure is silenced.
var Analyzer = lint.New(lint.Spec{
	Name:         "silentimport",
	Doc:          doc,
	Rules:        []*lint.Rule{ruleDiscarded, ruleUnregistered, ruleFallback, ruleBlank},
	RuntimeFixes: true,
	Requires:     []*analysis.Analyzer{inspect.Analyzer},
	Facts:        &lint.FactPass{Types: []analysis.Fact{new(registry)}, Run: findRegistry},
	Run:          run,
})

// The rules; docs/precision.md has the measurements behind their defaults.
var (
	ruleDiscarded    = &lint.Rule{Name: "discarded", Default: true, Since: "v0.1.0"}
	ruleUnregistered = &lint.Rule{Name: "unregistered", Default: true, Since: "v0.1.0"}
	ruleFallback     = &lint.Rule{Name: "silent-fallback", Default: true, Since: "v0.1.0"}
	ruleBlank        = &lint.Rule{Name: "library-blank", Since: "v0.1.0"}
)

func run(pass *lint.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if scan, ok := pass.Facts().(*registryScan); ok {
		if pass.Pkg.Name() == "main" && pass.Enabled(ruleUnregistered) {
			reportUnregistered(pass, scan.reg, scan.uses)
		}
		if pass.Enabled(ruleBlank) {
			checkBlankImports(pass, scan.uses)
		}
	}
	if !pass.AnyEnabled(ruleDiscarded, ruleFallback) {
		return nil, nil // the remaining rules are off
	}
	if !match.Imports(pass.Pkg, loadPkgs...) && !slices.Contains(loadPkgs, match.PkgPath(pass.Pkg)) {
		return nil, nil // cannot call a load
	}
	src, names := fix.NewSource(pass.Pass), fix.NewNames()
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		l, fn := loadOf(pass.TypesInfo, call)
		if l == nil {
			continue // not a fallible load
		}
		if !pass.Reportable(call.Pos()) {
			continue // generated or test file: nothing would be shown
		}
		s, ok := siteOf(cur, fn)
		if !ok {
			continue // the error flows on (an argument, a return): not ours
		}
		s.load, s.src, s.names = l, src, names
		switch {
		case s.errExpr == nil || isBlank(s.errExpr):
			checkDiscarded(pass, s)
		default:
			checkFallback(pass, s)
		}
	}
	return nil, nil
}

// A site is a load call and the statement that receives its results.
type site struct {
	call *ast.CallExpr
	fn   *types.Func
	load *load
	// stmt is the statement holding the call: an *ast.AssignStmt, an
	// *ast.DeclStmt (with a *ast.ValueSpec in a function, the spec being
	// spec) or an *ast.ExprStmt; for a package-level var it is nil and
	// spec is set.
	stmt    ast.Stmt
	spec    *ast.ValueSpec
	stmtCur inspector.Cursor // of stmt, or of spec at package level
	lhs     []ast.Expr       // the left-hand side, one per result; nil for an ExprStmt
	errExpr ast.Expr         // the left-hand operand receiving the error, nil for an ExprStmt
	src     *fix.Source      // the files' text, for the fixes
	names   *fix.Names       // the names the pass's fixes declare
}

// siteOf classifies the statement that receives the results of call: an
// assignment or var declaration of all of them, or a call statement. It
// reports false for any other use, such as template.Must(load()).
func siteOf(cur inspector.Cursor, fn *types.Func) (*site, bool) {
	call := cur.Node().(*ast.CallExpr)
	n := fn.Signature().Results().Len()
	s := &site{call: call, fn: fn}
	parent := cur.Parent()
	switch k, _ := cur.ParentEdge(); k {
	case edge.AssignStmt_Rhs:
		as := parent.Node().(*ast.AssignStmt)
		if len(as.Rhs) != 1 || len(as.Lhs) != n {
			return nil, false // not a tuple assignment (cannot happen for loads)
		}
		s.stmt, s.stmtCur, s.lhs = as, parent, as.Lhs
	case edge.ValueSpec_Values:
		spec := parent.Node().(*ast.ValueSpec)
		if len(spec.Values) != 1 || len(spec.Names) != n {
			return nil, false // not a tuple declaration (cannot happen for loads)
		}
		s.spec = spec
		for _, id := range spec.Names {
			s.lhs = append(s.lhs, id)
		}
		s.stmtCur = parent
		// var x, _ = load() inside a function: the statement is the
		// DeclStmt, and only a single-spec one can be rewritten.
		if decl, ok := parent.Parent().Parent().Node().(*ast.DeclStmt); ok {
			if gd := decl.Decl.(*ast.GenDecl); len(gd.Specs) == 1 {
				s.stmt, s.stmtCur = decl, parent.Parent().Parent()
			}
		}
	case edge.ExprStmt_X:
		s.stmt, s.stmtCur = parent.Node().(*ast.ExprStmt), parent
		return s, true
	default:
		return nil, false // the results go elsewhere: an argument, a return
	}
	s.errExpr = s.lhs[n-1]
	return s, true
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

func analysisDiag(n ast.Node, msg string) analysis.Diagnostic {
	return analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: msg}
}
