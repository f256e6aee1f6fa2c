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
	if len(call.Args) != 1 || c.brief(cur, call.Args[0]) || c.ctxs.UncancellableHere(cur) {
		return // a short fixed pause, the interval of a loop that checks ctx, or ctx.Done() is nil here
	}
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope: nothing to honour
	}
	d := analysis.Diagnostic{
		Pos:     call.Pos(),
		End:     call.End(),
		Message: fmt.Sprintf("time.Sleep is not interrupted when %s is cancelled: use shield.Sleep(%s, d)", ctx.Expr, ctx.Expr),
	}
	if fix := c.sleepFix(cur.Parent(), call.Fun, call, ctx); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(ruleWait, d)
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
	if len(call.Args) != 1 || c.brief(cur, call.Args[0]) || c.ctxs.UncancellableHere(cur) {
		return // a short fixed pause, the interval of a loop that checks ctx, or ctx.Done() is nil here
	}
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope
	}
	d := analysis.Diagnostic{
		Pos:     recv.Pos(),
		End:     recv.End(),
		Message: fmt.Sprintf("<-time.After(d) is not interrupted when %s is cancelled: use shield.Sleep(%s, d)", ctx.Expr, ctx.Expr),
	}
	if fix := c.sleepFix(cur, recv, call, ctx); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(ruleWait, d)
}

// brief reports whether the wait at cur, of duration d, delays
// cancellation by no more than a fixed bound the author chose: d is a
// constant, and either the wait is the interval of a loop that observes
// cancellation between waits, or it is a pause of at most maxPause outside
// any loop. (A constant pause in a loop that never looks at ctx is
// reported: the loop as a whole ignores cancellation.)
func (c *checker) brief(cur inspector.Cursor, d ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[d]
	if !ok || tv.Value == nil {
		return false // a computed delay (a backoff) may be long
	}
	loop, ok := nav.EnclosingLoop(cur)
	if ok {
		return contexts.ChecksCancel(c.pass.TypesInfo, loop.Node(), cur.Node())
	}
	ns, exact := constant.Int64Val(constant.ToInt(tv.Value))
	return exact && ns <= int64(maxPause)
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
		if cond := nav.VarOf(c.pass.TypesInfo, sel.X); cond != nil && c.wokenByCtx(cur, cond) {
			return // the Cond is broadcast when ctx is cancelled
		}
	}
	c.pass.Report(ruleWait, analysis.Diagnostic{
		Pos:     call.Pos(),
		End:     call.End(),
		Message: fmt.Sprintf("(*sync.Cond).Wait is not interrupted when %s is cancelled: wait on a channel in a select with %s.Done()", ctx.Expr, ctx.Expr),
	})
}

// wokenByCtx reports whether the function enclosing cur passes cond and a
// context to the same call.
func (c *checker) wokenByCtx(cur inspector.Cursor, cond types.Object) bool {
	info := c.pass.TypesInfo
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		panic("unshielded: a Wait outside any function")
	}
	for cc := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cc.Node().(*ast.CallExpr)
		hasCtx, hasCond := false, false
		for _, arg := range call.Args {
			hasCtx = hasCtx || match.IsContext(info.TypeOf(arg))
			hasCond = hasCond || nav.Mentions(info, arg, cond)
		}
		if hasCtx && hasCond {
			return true
		}
	}
	return false
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
	c.pass.Report(ruleWait, analysis.Diagnostic{
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
