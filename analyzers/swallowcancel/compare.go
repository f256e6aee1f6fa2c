package swallowcancel

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// compare checks err == context.Canceled and err != …, at cur.
func (c *checker) compare(cur inspector.Cursor, b *ast.BinaryExpr) {
	if b.Op != token.EQL && b.Op != token.NEQ {
		return // not a comparison
	}
	x, name := b.X, contexts.Sentinel(c.info, b.Y)
	if name == "" {
		x, name = b.Y, contexts.Sentinel(c.info, b.X)
	}
	if name == "" {
		return // not a comparison with context.Canceled or DeadlineExceeded
	}
	if !types.AssignableTo(nav.TypeOf(c.info, x), match.ErrorType) {
		return // an any holding the sentinel: not an error that errors.Is could be given
	}
	if !c.mayBeWrapped(cur, x) {
		return // ctx.Err(), or an error the code unwrapped itself
	}
	op := "=="
	if b.Op == token.NEQ {
		op = "!="
	}
	d := analysis.Diagnostic{
		Pos:     b.Pos(),
		End:     b.End(),
		Message: fmt.Sprintf("%s context.%s is %v for an error that wraps it: use errors.Is", op, name, b.Op == token.NEQ),
	}
	if f := c.compareFix(b, x, name); f != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*f}
	}
	c.pass.Report(ruleCompare, d)
}

// compareSwitch checks switch err { case context.Canceled: … }, at cur.
func (c *checker) compareSwitch(cur inspector.Cursor, sw *ast.SwitchStmt) {
	if sw.Tag == nil || !match.IsError(nav.TypeOf(c.info, sw.Tag)) {
		return // not a switch on an error
	}
	var first ast.Expr
	for _, s := range sw.Body.List {
		for _, e := range s.(*ast.CaseClause).List {
			if first == nil && contexts.Sentinel(c.info, e) != "" {
				first = e
			}
		}
	}
	if first == nil {
		return // no case of context.Canceled or DeadlineExceeded
	}
	if c.passesThrough(sw) {
		return // maps the exact sentinels and returns any other error as it is, which errors.Is still sees through
	}
	if !c.mayBeWrapped(cur, sw.Tag) {
		return // ctx.Err(), or an error the code unwrapped itself
	}
	d := analysis.Diagnostic{
		Pos:     first.Pos(),
		End:     first.End(),
		Message: fmt.Sprintf("case context.%s is not taken for an error that wraps it: switch on errors.Is", contexts.Sentinel(c.info, first)),
	}
	if f := c.switchFix(sw); f != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*f}
	}
	c.pass.Report(ruleCompare, d)
}

// mayBeWrapped reports whether the error x, compared at cur, may wrap a
// sentinel: not ctx.Err() or context.Cause (errorlint allows those too),
// not a variable given ctx.Err() or errors.Unwrap's result, and not the
// target of an Is method, which errors.Is calls on each error of a chain.
func (c *checker) mayBeWrapped(cur inspector.Cursor, x ast.Expr) bool {
	if unwrapped(c.info, x) {
		return false // the context's own error, or the result of Unwrap
	}
	v := nav.VarOf(c.info, x)
	if v == nil || !nav.IsLocal(v) {
		return true // a call, a field, a package variable: anything
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		return true
	}
	if isIsMethod(c.info, fn.Node(), v) {
		return false // errors.Is hands each link of the chain to Is
	}
	if def := c.ctxs.Definition(v); def != nil && unwrapped(c.info, def) && !reassigned(c.info, fn.Node(), v) {
		return false // err := ctx.Err()
	}
	unwrapLoop := false
	ast.Inspect(fn.Node(), func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, l := range as.Lhs {
				if nav.VarOf(c.info, l) == v && isUnwrap(c.info, as.Rhs[i]) {
					unwrapLoop = true // for e := err; e != nil; e = errors.Unwrap(e)
				}
			}
		}
		return !unwrapLoop
	})
	return !unwrapLoop
}

// unwrapped reports whether e is a call that returns an error as it is,
// not wrapped: ctx.Err(), context.Cause(ctx), errors.Unwrap(err) or an
// Unwrap method.
func unwrapped(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := match.Callee(info, call)
	return match.IsMethod(fn, "context", "Context", "Err") || match.IsFunc(fn, "context", "Cause") || isUnwrap(info, e)
}

func isUnwrap(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := match.Callee(info, call)
	return match.IsFunc(fn, "errors", "Unwrap") || (fn != nil && fn.Name() == "Unwrap" && fn.Signature().Recv() != nil)
}

// reassigned reports whether fn assigns v other than by its declaration,
// which types.Info records in Defs, not Uses.
func reassigned(info *types.Info, fn ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.Uses[id] == v {
					found = true // a later assignment: Defs would hold the declaring one
				}
			}
		}
		return !found
	})
	return found
}

// isIsMethod reports whether fn is a method Is(error) bool whose
// parameter is v.
func isIsMethod(info *types.Info, fn ast.Node, v *types.Var) bool {
	fd, ok := fn.(*ast.FuncDecl)
	if !ok || fd.Recv == nil || fd.Name.Name != "Is" {
		return false
	}
	obj, ok := info.Defs[fd.Name].(*types.Func)
	if !ok {
		return false
	}
	sig := obj.Signature()
	return sig.Params().Len() == 1 && sig.Params().At(0) == v && sig.Results().Len() == 1 && isBool(sig.Results().At(0).Type())
}

// passesThrough reports whether the default case of sw returns its tag
// unchanged: switch err { case context.Canceled: return errCanceled;
// default: return err } translates the sentinels themselves, and a
// wrapped one is returned as it is.
func (c *checker) passesThrough(sw *ast.SwitchStmt) bool {
	tag := nav.VarOf(c.info, sw.Tag)
	if tag == nil {
		return false
	}
	for _, s := range sw.Body.List {
		cc := s.(*ast.CaseClause)
		if cc.List != nil || len(cc.Body) == 0 {
			continue // not the default case
		}
		ret, ok := cc.Body[len(cc.Body)-1].(*ast.ReturnStmt)
		if ok && len(ret.Results) == 1 && nav.VarOf(c.info, ret.Results[0]) == tag {
			return true
		}
	}
	return false
}
