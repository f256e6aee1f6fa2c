package unshielded

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// sleep reports time.Sleep(d) with a ctx in scope.
func (c *checker) sleep(cur inspector.Cursor, call *ast.CallExpr) {
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope: nothing to honour
	}
	if len(call.Args) != 1 || c.brief(cur, call.Args[0], ctx) || c.ctxs.UncancellableHere(cur) {
		return // a short fixed pause, the interval of a loop that checks ctx, or ctx.Done() is nil here
	}
	d := analysis.Diagnostic{
		Pos:     call.Pos(),
		End:     call.End(),
		Message: fmt.Sprintf("time.Sleep is not interrupted when %s is cancelled: use shield.Sleep(%s, d)", ctx.Expr, ctx.Expr),
	}
	if fix := c.sleepFix(cur.Parent(), call.Fun, call, ctx); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.reportWait(cur, ctx, d)
}

// loneAfter reports the statement <-time.After(d) with a ctx in scope.
func (c *checker) loneAfter(cur inspector.Cursor, stmt *ast.ExprStmt) {
	if !nav.InStmtList(cur) {
		return // a select case's receive, not a statement of its own
	}
	recv, ok := ast.Unparen(stmt.X).(*ast.UnaryExpr)
	if !ok || recv.Op != token.ARROW {
		return // not a receive statement
	}
	call, ok := ast.Unparen(recv.X).(*ast.CallExpr)
	if !ok || !match.IsFunc(match.Callee(c.pass.TypesInfo, call), "time", "After") {
		return // not a receive from time.After
	}
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope
	}
	if len(call.Args) != 1 || c.brief(cur, call.Args[0], ctx) || c.ctxs.UncancellableHere(cur) {
		return // a short fixed pause, the interval of a loop that checks ctx, or ctx.Done() is nil here
	}
	d := analysis.Diagnostic{
		Pos:     recv.Pos(),
		End:     recv.End(),
		Message: fmt.Sprintf("<-time.After(d) is not interrupted when %s is cancelled: use shield.Sleep(%s, d)", ctx.Expr, ctx.Expr),
	}
	if fix := c.sleepFix(cur, recv, call, ctx); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.reportWait(cur, ctx, d)
}

// brief reports whether the wait at cur, of duration d, delays
// cancellation by no more than a fixed bound the author chose: d is a
// constant, and either the wait is the interval of a loop that observes
// cancellation between waits — it checks ctx, receives from a stop
// channel, or, for a pause of at most maxPause, passes ctx to a call that
// sees the cancellation within one pause — or it is a pause of at most
// maxPause outside any loop. (A constant pause in a loop that never looks
// at ctx is reported: the loop as a whole ignores cancellation.)
func (c *checker) brief(cur inspector.Cursor, d ast.Expr, ctx contexts.Ctx) bool {
	tv, ok := c.pass.TypesInfo.Types[d]
	if !ok || tv.Value == nil {
		return false // a computed delay (a backoff) may be long
	}
	ns, exact := constant.Int64Val(constant.ToInt(tv.Value))
	short := exact && ns <= int64(maxPause)
	loop, ok := nav.EnclosingLoop(cur)
	if !ok {
		return short
	}
	return contexts.ChecksCancel(c.pass.TypesInfo, loop.Node(), cur.Node()) ||
		c.receivesStop(loop.Node()) ||
		short && c.passesCtx(loop, ctx)
}

// receivesStop reports whether loop, outside the function literals in it,
// receives from a stop or done channel of the code's own (a chan
// struct{}, see contexts.IsSignal): it ends when that channel is closed, as it
// would on ctx.Done().
func (c *checker) receivesStop(loop ast.Node) bool {
	found := false
	ast.Inspect(loop, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // runs at another time
		case *ast.UnaryExpr:
			found = found || n.Op == token.ARROW && contexts.IsSignal(c.pass.TypesInfo, n.X)
		}
		return !found
	})
	return found
}

// passesCtx reports whether loop, outside the function literals in it,
// passes ctx, or a context derived from it, to a call whose results it
// keeps: such a call sees the cancellation and tells the loop, so a short
// pause before it delays the loop's end by one pause at most. (A call
// whose error is dropped tells nobody: the loop goes on.)
func (c *checker) passesCtx(loop inspector.Cursor, ctx contexts.Ctx) bool {
	info := c.pass.TypesInfo
	for cc := range loop.Preorder((*ast.CallExpr)(nil)) {
		inLit := false
		for lit := range cc.Enclosing((*ast.FuncLit)(nil)) {
			inLit = nav.Within(lit.Node().Pos(), loop.Node())
			break // the innermost
		}
		if inLit {
			continue // runs at another time
		}
		call := cc.Node().(*ast.CallExpr)
		if errorDropped(cc) {
			continue // nothing hears of the cancellation
		}
		if sig, ok := info.TypeOf(call.Fun).Underlying().(*types.Signature); !ok || returnsContext(sig) {
			continue // a conversion, or a context derived from ctx, not a use of it
		}
		for _, arg := range call.Args {
			id, ok := ast.Unparen(arg).(*ast.Ident)
			if !ok || !match.IsContext(info.TypeOf(arg)) {
				continue
			}
			if v, ok := info.Uses[id].(*types.Var); ok && (v == ctx.Var || nav.IsLocal(v) && c.ctxs.FromCaller(v)) {
				return true
			}
		}
	}
	return false
}

// maxPause is the longest constant pause outside a loop that is not
// reported: in the corpus such pauses let a connection settle or pace a
// single retry, and cancellation delayed by a second is no hazard.
const maxPause = time.Second

// condWait reports (*sync.Cond).Wait with a ctx in scope: a Cond cannot be
// woken by cancellation, unless the function hands the Cond and a ctx to
// something that broadcasts on cancellation (context.AfterFunc(ctx, func()
// { c.Broadcast() }), watch(ctx, c)).
func (c *checker) condWait(cur inspector.Cursor, call *ast.CallExpr) {
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if cond := nav.VarOf(c.pass.TypesInfo, sel.X); cond != nil && c.wokenByCtx(cur, cond, ctx) {
			return // the Cond is broadcast when ctx is cancelled
		}
	}
	c.reportWait(cur, ctx, analysis.Diagnostic{
		Pos:     call.Pos(),
		End:     call.End(),
		Message: fmt.Sprintf("(*sync.Cond).Wait is not interrupted when %s is cancelled: wait on a channel in a select with %s.Done()", ctx.Expr, ctx.Expr),
	})
}

// wokenByCtx reports whether the function enclosing cur passes cond and a
// context to the same call (context.AfterFunc(ctx, func() {
// c.Broadcast() }), watch(ctx, c)), or starts a function literal that
// sees ctx and broadcasts or signals cond:
//
//	go func() {
//		select {
//		case <-done:
//		case <-ctx.Done():
//			cond.Broadcast()
//		}
//	}()
func (c *checker) wokenByCtx(cur inspector.Cursor, cond types.Object, ctx contexts.Ctx) bool {
	info := c.pass.TypesInfo
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		panic("unshielded: a Wait outside any function")
	}
	for cc := range fn.Preorder((*ast.CallExpr)(nil), (*ast.FuncLit)(nil)) {
		switch n := cc.Node().(type) {
		case *ast.CallExpr:
			hasCtx, hasCond := false, false
			for _, arg := range n.Args {
				hasCtx = hasCtx || match.IsContext(info.TypeOf(arg))
				hasCond = hasCond || nav.Mentions(info, arg, cond)
			}
			if hasCtx && hasCond {
				return true
			}
		case *ast.FuncLit:
			if ctx.Var != nil && nav.Mentions(info, n.Body, ctx.Var) && wakes(info, n.Body, cond) {
				return true
			}
		}
	}
	return false
}

// wakes reports whether body calls Broadcast or Signal on cond.
func wakes(info *types.Info, body ast.Node, cond types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok &&
				match.IsMethod(match.Callee(info, call), "sync", "Cond", "Broadcast", "Signal") && nav.Mentions(info, sel.X, cond) {
				found = true
			}
		}
		return !found
	})
	return found
}

// selectInLoop reports a select in a loop that can block with no way to
// see the cancellation of the ctx in scope.
func (c *checker) selectInLoop(cur inspector.Cursor, sel *ast.SelectStmt) {
	info := c.pass.TypesInfo
	loop, ok := nav.EnclosingLoop(cur)
	if !ok {
		return // a select outside a loop waits once
	}
	if len(sel.Body.List) == 1 {
		return // one case: a plain receive, or staticcheck's S1037 elaborate sleep
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		panic("unshielded: a select outside any function")
	}
	timer := false
	for _, s := range sel.Body.List {
		cc := s.(*ast.CommClause)
		if cc.Comm == nil {
			return // a default case: the select never blocks
		}
		ch := contexts.RecvChan(cc.Comm)
		if ch == nil {
			continue // a send
		}
		if c.ctxs.IsDone(ch) {
			return // the loop sees cancellation
		}
		if contexts.IsSignal(info, ch) {
			return // the code's own stop or done channel: see doc.go
		}
		if v := nav.VarOf(info, ch); v != nil && c.feedsFromCtx(fn, v) {
			return // a goroutine that receives ctx reports through ch
		}
		timer = timer || isTimer(info, ch)
	}
	if timer && contexts.ChecksCancel(info, loop.Node(), sel) {
		return // bounded by a timer, and the loop checks ctx between waits
	}
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope
	}
	c.reportWait(cur, ctx, analysis.Diagnostic{
		Pos:     sel.Select,
		End:     sel.Select + token.Pos(len("select")),
		Message: fmt.Sprintf("select in a loop has no case <-%s.Done() and no default: the loop goes on waiting after %s is cancelled", ctx.Expr, ctx.Expr),
	})
}

// isTimer reports whether ch is a timer or ticker channel: time.After(d),
// time.Tick(d), or the C field of a time.Timer or time.Ticker.
func isTimer(info *types.Info, ch ast.Expr) bool {
	switch e := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		return match.IsFunc(match.Callee(info, e), "time", "After", "Tick")
	case *ast.SelectorExpr:
		if e.Sel.Name != "C" {
			return false
		}
		t := info.TypeOf(e.X)
		return match.IsNamedOrPtr(t, "time", "Timer") || match.IsNamedOrPtr(t, "time", "Ticker")
	}
	return false
}

// reportWait reports d, a wait that ignores ctx, unless ctx was
// overwritten before the wait with a context its caller cannot cancel:
// then the overwrite is what cuts the caller's cancellation off, and a fix
// that hands ctx to the wait would not help, so the overwrite is reported
// instead, once.
func (c *checker) reportWait(cur inspector.Cursor, ctx contexts.Ctx, d analysis.Diagnostic) {
	if ctx.FromRequest {
		c.pass.Report(ruleWait, d)
		return // r.Context() is evaluated where it is used
	}
	as, ok := c.ctxs.Overwritten(ctx.Var, cur)
	if !ok {
		c.pass.Report(ruleWait, d)
		return
	}
	if c.overwrites[as] {
		return // reported with an earlier wait
	}
	if c.overwrites == nil {
		c.overwrites = make(map[*ast.AssignStmt]bool)
	}
	c.overwrites[as] = true
	line := c.pass.Fset.Position(d.Pos).Line
	c.pass.Report(ruleWait, analysis.Diagnostic{
		Pos: as.Pos(),
		End: as.End(),
		Message: fmt.Sprintf("%s, the caller's context, is replaced by one the caller cannot cancel: the wait at line %d, and all that follows, no longer sees the caller's cancellation; derive the new context from %s",
			ctx.Expr, line, ctx.Expr),
		Related: []analysis.RelatedInformation{{Pos: d.Pos, End: d.End, Message: "waits here"}},
	})
}
