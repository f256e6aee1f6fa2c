package unshielded

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// waitGroupWait reports wg.Wait() with a ctx in scope when a goroutine that
// it joins, started in the same function, does not receive that ctx or one
// derived from it: cancelling ctx then neither stops the goroutine nor
// interrupts the wait.
func (c *checker) waitGroupWait(cur inspector.Cursor, call *ast.CallExpr) {
	info := c.pass.TypesInfo
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return // a method expression: (*sync.WaitGroup).Wait(&wg)
	}
	wg := nav.VarOf(info, sel.X)
	if wg == nil {
		return // the WaitGroup is a call result: we cannot tell what it joins
	}
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope
	}
	if contexts.Deliberate(info, cur, ctx) || afterCancelCheck(info, cur, ctx) {
		return // the join of a shutdown: it waits after cancellation on purpose
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		panic("unshielded: a live ctx outside any function")
	}
	var detached ast.Node // the first joined goroutine that does not receive a ctx
	joined := 0
	for g := range fn.Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		var start ast.Node // what runs on the goroutine
		switch n := g.Node().(type) {
		case *ast.GoStmt:
			body := c.startedBody(n.Call)
			if !nav.Mentions(info, n.Call, wg) && !nav.Mentions(info, body, wg) {
				continue // does not join this WaitGroup
			}
			start = n.Call
			if !c.receivesCtx(start) && c.receivesCtx(body) {
				start = body // go worker(node): the literal worker holds receives ctx
			}
		case *ast.CallExpr:
			s, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if !ok || len(n.Args) != 1 || !match.WaitGroupGo.Has(match.Callee(info, n)) || nav.VarOf(info, s.X) != wg {
				continue // not wg.Go(f) on this WaitGroup
			}
			start = n.Args[0]
		}
		joined++
		if detached == nil && !c.receivesCtx(start) {
			detached = start
		}
	}
	if joined == 0 {
		return // joins goroutines started elsewhere: see doc.go
	}
	if detached == nil {
		return // every goroutine receives a ctx: cancelling it ends them, and so the wait
	}
	c.reportWait(cur, ctx, analysis.Diagnostic{
		Pos:     call.Pos(),
		End:     call.End(),
		Message: fmt.Sprintf("(*sync.WaitGroup).Wait is not interrupted when %s is cancelled, and a goroutine it joins does not receive %s: pass %s to the goroutine, or use shield.Wait(%s, wg)", ctx.Expr, ctx.Expr, ctx.Expr, ctx.Expr),
		Related: []analysis.RelatedInformation{{Pos: detached.Pos(), End: detached.End(), Message: "goroutine started here without " + ctx.Expr}},
	})
}

// afterCancelCheck reports whether, before cur (in its block or an
// enclosing one, within ctx's function), a loop or select looks at
// cancellation, or a statement tells the goroutines to stop — close(ch) or
// cancel() of a context.CancelFunc: a wait placed there joins a shutdown.
// (A guard such as if ctx.Err() != nil { return } does not count: it runs
// before any work.)
func afterCancelCheck(info *types.Info, cur inspector.Cursor, ctx contexts.Ctx) bool {
	for c := cur; c.Valid() && c.Node() != ctx.Func; c = c.Parent() {
		if _, ok := c.Node().(ast.Stmt); !ok {
			continue // only statements have statements before them
		}
		for s, ok := c.PrevSibling(); ok; s, ok = s.PrevSibling() {
			switch n := s.Node().(type) {
			case *ast.ForStmt, *ast.RangeStmt, *ast.SelectStmt, *ast.LabeledStmt:
				if contexts.MentionsCancel(info, n, nil) {
					return true
				}
			case *ast.ExprStmt:
				if stopSignal(info, n.X) {
					return true
				}
			}
		}
	}
	return false
}

// stopSignal reports whether e is close(ch) or a call of a
// context.CancelFunc or CancelCauseFunc.
func stopSignal(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "close" {
			return true
		}
	}
	t := info.TypeOf(call.Fun)
	return match.IsNamed(t, "context", "CancelFunc") || match.IsNamed(t, "context", "CancelCauseFunc")
}

// receivesCtx reports whether the goroutine that start runs (a call or a
// func value) receives a cancellable context of the enclosing function: it
// refers to a context.Context variable declared outside it, or calls
// Context() on an *http.Request declared outside it.
func (c *checker) receivesCtx(start ast.Node) bool {
	info := c.pass.TypesInfo
	found := false
	ast.Inspect(start, func(n ast.Node) bool {
		if found {
			return false // done
		}
		switch n := n.(type) {
		case *ast.Ident:
			v, ok := info.Uses[n].(*types.Var)
			if ok && !v.IsField() && nav.IsLocal(v) && !nav.Within(v.Pos(), start) {
				if match.IsContext(v.Type()) && c.ctxs.Cancellable(v) {
					found = true
				} else if match.IsNamedOrPtr(v.Type(), "net/http", "Request") {
					found = true // r, or r.Context(), reaches the goroutine
				}
			}
		}
		return true
	})
	return found
}

// feedsFromCtx reports whether a goroutine started in the function at fn
// that receives a ctx mentions the channel ch (directly, or through a local
// func variable it calls): cancelling ctx ends that goroutine, which then
// reports through ch, so a select on ch does see cancellation.
func (c *checker) feedsFromCtx(fn inspector.Cursor, ch types.Object) bool {
	info := c.pass.TypesInfo
	for g := range fn.Preorder((*ast.GoStmt)(nil)) {
		call := g.Node().(*ast.GoStmt).Call
		body := c.startedBody(call)
		if (nav.Mentions(info, call, ch) || nav.Mentions(info, body, ch)) && c.receivesCtx(call) {
			return true
		}
	}
	return false
}

// startedBody returns the function literal that a go statement's call
// runs through a local variable (go startRacer(ctx), where startRacer :=
// func(…){…}), or else the call itself.
func (c *checker) startedBody(call *ast.CallExpr) ast.Node {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && nav.IsLocal(v) {
			if lit, ok := c.ctxs.Definition(v).(*ast.FuncLit); ok {
				return lit
			}
		}
	}
	return call
}
