package unshielded

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
)

// twinCall reports a call of a table row's API with a ctx in scope.
func (c *checker) twinCall(cur inspector.Cursor, call *ast.CallExpr, fn *types.Func, row *twin) {
	if match.PkgPath(c.pass.Pkg) == row.pkg {
		return // the package that implements the twin, as CommandContext calls Command
	}
	ctx, ok := c.live(cur, true)
	if !ok {
		return // no live ctx in scope
	}
	if deliberate(c.pass.TypesInfo, cur, ctx) {
		return // cleanup or shutdown code: detached on purpose
	}
	if c.ctxReachesResult(cur) {
		return // the ctx is attached to the result later: req.WithContext(ctx), run(ctx, cmd)
	}
	d := analysis.Diagnostic{
		Pos:     call.Fun.Pos(),
		End:     call.Rparen + 1,
		Message: fmt.Sprintf("%s is not cancelled when %s is: use %s", row.display(), ctx.Expr, row.suggestion(ctx.Expr, fn.Signature().Params().Len() > 0)),
	}
	if fix := c.twinFix(call, fn, row, ctx); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(ruleCall, d)
}

// backgroundArgs reports context.Background() or context.TODO() passed as
// the context.Context argument of a call while a ctx is in scope, except
// where the detachment is deliberate: as the parent of a context that
// bounds work by its own deadline or keeps only the values
// (WithTimeout, WithDeadline, WithoutCancel), in deferred and go calls, and
// in shutdown code that runs after cancellation was seen.
func (c *checker) backgroundArgs(cur inspector.Cursor, call *ast.CallExpr) {
	info := c.pass.TypesInfo
	for i, arg := range call.Args {
		bg, ok := ast.Unparen(arg).(*ast.CallExpr)
		if !ok {
			continue // not a call
		}
		bgFn := match.Callee(info, bg)
		if !match.IsFunc(bgFn, "context", "Background", "TODO") {
			continue // not context.Background() nor TODO()
		}
		sig, ok := contextParam(info, call, i)
		if !ok {
			continue // the parameter is not a context.Context (an any, say)
		}
		fn := match.Callee(info, call)
		if match.IsFunc(fn, "context", detachers...) {
			return // the parent of a detached context: deliberate
		}
		if sink(sig) || (fn != nil && match.PkgPath(fn.Pkg()) == "log/slog") {
			return // a logger: it reads values from ctx, it is never cancelled by it
		}
		argCur := cur.ChildAt(edge.CallExpr_Args, i)
		ctx, ok := c.live(argCur, true)
		if !ok {
			return // no live ctx in scope
		}
		if deliberate(info, argCur, ctx) {
			return // cleanup or shutdown code
		}
		c.pass.Report(ruleCall, analysis.Diagnostic{
			Pos:     arg.Pos(),
			End:     arg.End(),
			Message: fmt.Sprintf("context.%s() passed to %s while %s is in scope: the call is not cancelled when %s is", bgFn.Name(), types.ExprString(call.Fun), ctx.Expr, ctx.Expr),
		})
	}
}

// detachers are the functions of package context whose parent is detached
// from the caller on purpose when it is Background() or TODO(): the result
// is bounded by its own deadline, keeps values only, or (WithCancel) has a
// lifetime of its own — in the corpus every WithCancel(Background()) with
// a ctx in scope made a worker's or a connection's own context.
var detachers = []string{"WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause", "WithoutCancel", "WithCancel", "WithCancelCause"}

// sink reports whether a call of sig is a logging sink: it returns nothing
// and takes a final ...any, as Printf(ctx, format, args...) does. A logger
// reads values (trace ids) from its context and is never cancelled by it.
func sink(sig *types.Signature) bool {
	if sig.Results().Len() != 0 || !sig.Variadic() {
		return false
	}
	s, ok := sig.Params().At(sig.Params().Len() - 1).Type().Underlying().(*types.Slice)
	if !ok {
		return false // unreachable: a variadic parameter is a slice
	}
	iface, ok := s.Elem().Underlying().(*types.Interface)
	return ok && iface.Empty()
}

// contextParam reports whether argument i of call is passed to a parameter
// of type context.Context, and returns the signature of the callee.
func contextParam(info *types.Info, call *ast.CallExpr, i int) (*types.Signature, bool) {
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return nil, false // a conversion
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return nil, false // a builtin
	}
	params := sig.Params()
	var t types.Type
	switch {
	case i < params.Len()-1 || (i == params.Len()-1 && !sig.Variadic()):
		t = params.At(i).Type()
	case sig.Variadic() && !call.Ellipsis.IsValid():
		s, ok := params.At(params.Len() - 1).Type().Underlying().(*types.Slice)
		if !ok {
			return nil, false // unreachable: a variadic parameter is a slice
		}
		t = s.Elem()
	default:
		return nil, false // f(xs...)
	}
	return sig, match.IsContext(t)
}

// ctxReachesResult reports whether the call at cur assigns its result to a
// local variable that later meets a context: it is the receiver of a
// method that takes one (req = req.WithContext(ctx)) or an argument of a
// call that also takes one (client.Do(ctx, req), runCmd(ctx, cmd)).
func (c *checker) ctxReachesResult(cur inspector.Cursor) bool {
	info := c.pass.TypesInfo
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || cur.ParentEdgeKind() != edge.AssignStmt_Rhs || len(as.Rhs) != 1 {
		return false // the result is not stored
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return false // stored in a field or element
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return false // _
	}
	fn, ok := enclosingFunc(cur)
	if !ok {
		return false // unreachable
	}
	for use := range fn.Preorder((*ast.Ident)(nil)) {
		if info.Uses[use.Node().(*ast.Ident)] != v {
			continue // another name
		}
		var call *ast.CallExpr
		switch use.ParentEdgeKind() {
		case edge.SelectorExpr_X:
			if use.Parent().ParentEdgeKind() == edge.CallExpr_Fun {
				call, _ = use.Parent().Parent().Node().(*ast.CallExpr)
			}
		case edge.CallExpr_Args:
			call, _ = use.Parent().Node().(*ast.CallExpr)
		}
		if call == nil {
			continue // not a call's receiver or argument
		}
		for _, arg := range call.Args {
			if match.IsContext(info.TypeOf(arg)) {
				return true
			}
		}
	}
	return false
}
