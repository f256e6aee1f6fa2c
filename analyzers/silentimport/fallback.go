package silentimport

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

// checkFallback reports the branch taken when the load's error is not nil
// if it neither uses the error nor says anything.
func checkFallback(pass *lint.Pass, s *site) {
	id, ok := s.errExpr.(*ast.Ident)
	if !ok || s.stmt == nil {
		return // the error goes to a field or element, or a package-level var: not tracked
	}
	errVar, ok := pass.TypesInfo.ObjectOf(id).(*types.Var)
	if !ok {
		return // not a variable (cannot happen for a well-typed assignment)
	}
	if allBlank(s.lhs[:len(s.lhs)-1]) {
		return // a validity check: nothing is loaded, so nothing falls back
	}
	ifs := checkAfter(s.stmtCur)
	if ifs == nil {
		return // the error is not checked right away: not a pattern we judge
	}
	branch := failBranch(pass.TypesInfo, ifs, errVar)
	if branch == nil {
		return // not a plain err != nil / err == nil test with a failure branch
	}
	if speaks(pass.TypesInfo, branch, errVar, isResult(pass.TypesInfo, s.stmtCur, errVar)) {
		return // the failure is used, logged, returned or otherwise surfaced
	}
	pass.Report(ruleFallback, analysis.Diagnostic{
		Pos:     ifs.Cond.Pos(),
		End:     ifs.Cond.End(),
		Message: fmt.Sprintf("%s failure handled without using %s: the fallback is silent", loadName(s.fn), errVar.Name()),
		Related: []analysis.RelatedInformation{{Pos: s.call.Pos(), End: s.call.End(), Message: "the load"}},
	})
}

// checkAfter returns the if statement that checks the error of the load
// statement at cur: the if whose header holds it, or the statement right
// after it.
func checkAfter(cur inspector.Cursor) *ast.IfStmt {
	if k, _ := cur.ParentEdge(); k == edge.IfStmt_Init {
		return cur.Parent().Node().(*ast.IfStmt)
	}
	next, ok := cur.NextSibling()
	if !ok {
		return nil // the last statement of its block
	}
	ifs, ok := next.Node().(*ast.IfStmt)
	if !ok || ifs.Init != nil {
		return nil // not an if, or one whose header declares more
	}
	return ifs
}

// failBranch returns the block that runs when errVar is not nil: the body
// of `if err != nil`, or the else block of `if err == nil`.
func failBranch(info *types.Info, ifs *ast.IfStmt, errVar *types.Var) *ast.BlockStmt {
	cmp, _ := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if cmp == nil || (cmp.Op != token.NEQ && cmp.Op != token.EQL) {
		return nil // a compound or other condition
	}
	x, y := ast.Unparen(cmp.X), ast.Unparen(cmp.Y)
	if isNil(info, x) {
		x, y = y, x
	}
	if id, ok := x.(*ast.Ident); !ok || info.Uses[id] != errVar || !isNil(info, y) {
		return nil // does not compare the error with nil
	}
	if cmp.Op == token.NEQ {
		return ifs.Body
	}
	els, _ := ifs.Else.(*ast.BlockStmt)
	return els // nil for no else, or an else if: not judged
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false // nil is an identifier
	}
	_, ok = info.Uses[id].(*types.Nil)
	return ok
}

// speaks reports whether branch surfaces the failure: it refers to
// errVar (a bare return does, when errVar is a named result), returns or
// records a non-nil error, logs or prints, panics, exits, or writes an
// HTTP error.
func speaks(info *types.Info, branch ast.Node, errVar *types.Var, named bool) bool {
	found := false
	ast.Inspect(branch, func(n ast.Node) bool {
		if found {
			return false // decided
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			// A bare return in a literal returns the literal's results.
			found = speaks(info, n.Body, errVar, false)
			return false
		case *ast.Ident:
			found = info.Uses[n] == errVar
		case *ast.CallExpr:
			found = loudCall(info, n)
		case *ast.ReturnStmt:
			// A bare return of a named err returns it; a non-nil error
			// or false (ok == false, a probe's "no") tells the caller.
			found = (named && len(n.Results) == 0) ||
				slices.ContainsFunc(n.Results, func(e ast.Expr) bool { return nonNilError(info, e) || isFalse(info, e) })
		case *ast.AssignStmt:
			found = slices.ContainsFunc(n.Rhs, func(e ast.Expr) bool { return nonNilError(info, e) })
		}
		return !found
	})
	return found
}

// isResult reports whether v is a named result of the function enclosing
// cur, which a bare return returns.
func isResult(info *types.Info, cur inspector.Cursor, v *types.Var) bool {
	sig := enclosingSignature(info, cur)
	if sig == nil {
		return false // not in a function (cannot happen for a statement)
	}
	for i := range sig.Results().Len() {
		if sig.Results().At(i) == v {
			return true
		}
	}
	return false
}

// loudCall reports whether call reports or stops: a logger, a print, a
// panic, an exit, an HTTP error response.
func loudCall(info *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			return b.Name() == "panic" || b.Name() == "print" || b.Name() == "println"
		}
	}
	fn := match.Callee(info, call)
	if fn == nil {
		return false // a func value: we cannot tell
	}
	switch {
	case match.IsLog(fn):
		return true // a logger, or one of its subpackages (zapcore, slog)
	case match.IsFunc(fn, "fmt", "Print", "Printf", "Println", "Fprint", "Fprintf", "Fprintln"):
		return true
	case match.IsFunc(fn, "os", "Exit"), match.IsFunc(fn, "runtime", "Goexit"):
		return true
	case match.IsFunc(fn, "net/http", "Error", "NotFound"):
		return true
	case match.IsMethod(fn, "net/http", "ResponseWriter", "WriteHeader"):
		return true
	}
	return false
}

// isFalse reports whether e is the constant false.
func isFalse(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && !constant.BoolVal(tv.Value)
}

// nonNilError reports whether e is an error value other than nil, or a
// call whose last result is an error.
func nonNilError(info *types.Info, e ast.Expr) bool {
	if isNil(info, e) {
		return false // the one error value that says nothing
	}
	t := info.TypeOf(e)
	if tuple, ok := t.(*types.Tuple); ok && tuple.Len() > 0 {
		t = tuple.At(tuple.Len() - 1).Type()
	}
	return t != nil && types.Implements(t, match.ErrorType.Underlying().(*types.Interface))
}
