package swallowcancel

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/nav"
)

// doneArm checks the select case at cur: if it receives from the Done
// channel of a cancellable context, every path from its body must leave
// the loop before it comes back to the select.
func (c *checker) doneArm(cur inspector.Cursor, cc *ast.CommClause) {
	ch := contexts.RecvChan(cc.Comm)
	if ch == nil || !c.ctxs.IsDone(ch) {
		return // not case <-ctx.Done()
	}
	ctxExpr := c.doneCtx(ch)
	if id, ok := ast.Unparen(ctxExpr).(*ast.Ident); ok {
		if v, ok := c.info.Uses[id].(*types.Var); ok && nav.IsLocal(v) && !c.ctxs.Cancellable(v) {
			return // Done() of a context nothing cancels is nil: the case is never taken
		}
	}
	selCur := cur.Parent().Parent()
	sel, ok := selCur.Node().(*ast.SelectStmt)
	if !ok {
		panic("swallowcancel: a CommClause outside a select")
	}
	if sa4011(selCur, cc) {
		return // staticcheck's SA4011 reports the lone break
	}
	replaced := c.replacedVars(ch, ctxExpr)
	if c.replaces(cc, replaced) {
		return // the arm disables the case or replaces the context: done = nil
	}
	others := c.otherChans(sel, cc)
	if c.actsOn(cc, others) {
		return // the arm closes what another case waits for: that case ends the loop
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		return
	}
	fi := c.funcOf(fn)
	if fi == nil {
		return
	}
	start, ok := fi.arms[cc]
	if !ok {
		return // unreachable code
	}
	w := &walk{
		c:        c,
		fi:       fi,
		targets:  make(map[ast.Node]bool),
		flags:    assignedFlags(c.info, &ast.BlockStmt{List: cc.Body}, nil),
		replaced: replaced,
		doneCtx:  ctxExpr,
	}
	for _, ch := range others {
		if v := nav.VarOf(c.info, ch); v != nil {
			w.others = append(w.others, v)
		}
	}
	postFlags(c.info, selCur, w.flags) // r++: a bounded number of retries
	for _, s := range sel.Body.List {
		if comm := s.(*ast.CommClause).Comm; comm != nil {
			w.targets[comm] = true // the select is evaluated again: the loop went round
		}
	}
	if out := w.run(start); out.loop == nil {
		return // every path leaves
	}
	what := "case <-" + c.exprText(ch)
	d := analysis.Diagnostic{
		Pos:     cc.Case,
		End:     cc.Comm.End(),
		Message: fmt.Sprintf("%s does not leave the loop: once the context is cancelled the select takes it again and again; return %s or break out of the loop", what, c.errText(ctxExpr)),
	}
	if f := c.doneFix(cur, cc, selCur, ctxExpr); f != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*f}
	}
	c.pass.Report(ruleDone, d)
}

// doneCtx returns the context whose Done channel ch is: the receiver of
// ctx.Done(), in place or where a local variable was given it.
func (c *checker) doneCtx(ch ast.Expr) ast.Expr {
	ch = ast.Unparen(ch)
	if id, ok := ch.(*ast.Ident); ok {
		if v, ok := c.info.Uses[id].(*types.Var); ok {
			ch = ast.Unparen(c.ctxs.Definition(v))
		}
	}
	call := ch.(*ast.CallExpr) // IsDone said so
	return call.Fun.(*ast.SelectorExpr).X
}

// sa4011 reports whether staticcheck's SA4011 reports the arm cc of the
// select at selCur: the select is a statement of a loop's body and the
// arm ends with a break without a label, or with an if whose body or else
// ends so. That break leaves the select, not the loop.
func sa4011(selCur inspector.Cursor, cc *ast.CommClause) bool {
	if selCur.ParentEdgeKind() != edge.BlockStmt_List {
		return false
	}
	switch selCur.Parent().ParentEdgeKind() {
	case edge.ForStmt_Body, edge.RangeStmt_Body:
	default:
		return false
	}
	if len(cc.Body) == 0 {
		return false
	}
	lasts := []ast.Stmt{cc.Body[len(cc.Body)-1]}
	if ifs, ok := lasts[0].(*ast.IfStmt); ok {
		if len(ifs.Body.List) == 0 {
			return false
		}
		lasts[0] = ifs.Body.List[len(ifs.Body.List)-1]
		if els, ok := ifs.Else.(*ast.BlockStmt); ok && len(els.List) > 0 {
			lasts = append(lasts, els.List[len(els.List)-1])
		}
	}
	for _, s := range lasts {
		if br, ok := s.(*ast.BranchStmt); ok && br.Tok == token.BREAK && br.Label == nil {
			return true
		}
	}
	return false
}

// replacedVars returns the variables that name the Done channel ch and its
// context ctxExpr: done, ctx, or sess of sess.ctx. Assigning one makes
// the select wait on something new.
func (c *checker) replacedVars(ch, ctxExpr ast.Expr) map[*types.Var]bool {
	vars := make(map[*types.Var]bool)
	for _, e := range []ast.Expr{ch, ctxExpr, base(ctxExpr)} {
		if v := nav.VarOf(c.info, e); v != nil {
			vars[v] = true
		}
	}
	return vars
}

// base returns the leftmost name of a selection (sess of sess.ctx), or e.
func base(e ast.Expr) ast.Expr {
	for {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return e
		}
		e = sel.X
	}
}

// replaces reports whether the arm cc assigns one of vars, or calls a
// local closure that does: done = nil, ctx = next.
func (c *checker) replaces(cc *ast.CommClause, vars map[*types.Var]bool) bool {
	for _, s := range cc.Body {
		for v := range vars {
			if assigns(c.info, s, v) || c.callsAssigning(s, v) {
				return true
			}
		}
	}
	return false
}

// otherChans returns the channels of the select's other cases, as written
// or as a local variable was given them (pcClosed := pc.closech).
func (c *checker) otherChans(sel *ast.SelectStmt, arm *ast.CommClause) []ast.Expr {
	var chans []ast.Expr
	for _, s := range sel.Body.List {
		cc := s.(*ast.CommClause)
		if cc == arm || cc.Comm == nil {
			continue
		}
		ch := contexts.RecvChan(cc.Comm)
		if send, ok := cc.Comm.(*ast.SendStmt); ok {
			ch = send.Chan
		}
		if ch != nil {
			chans = append(chans, ch)
		}
	}
	return chans
}

// actsOn reports whether the arm cc closes one of the channels chans, or
// calls a method of a value that owns one (pc.cancelRequest(err) where
// another case receives from pc.closech): the select then takes that case.
func (c *checker) actsOn(cc *ast.CommClause, chans []ast.Expr) bool {
	owners := make(map[*types.Var]bool)
	closable := make(map[*types.Var]bool)
	for _, ch := range chans {
		if v := nav.VarOf(c.info, ch); v != nil {
			closable[v] = true
			if def := c.ctxs.Definition(v); def != nil {
				ch = def // pcClosed := pc.closech
			}
		}
		if sel, ok := ast.Unparen(ch).(*ast.SelectorExpr); ok {
			if v := nav.VarOf(c.info, base(sel)); v != nil {
				owners[v] = true
			}
		}
	}
	found := false
	for _, s := range cc.Body {
		ast.Inspect(s, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || found {
				return !found
			}
			if nav.IsBuiltin(c.info, call, "close") && len(call.Args) == 1 && closable[nav.VarOf(c.info, call.Args[0])] {
				found = true
			}
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				if _, isMethod := c.info.Selections[sel]; isMethod && owners[nav.VarOf(c.info, base(sel.X))] {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// callsAssigning reports whether s calls a local closure that assigns v:
// stop := func(err error) { …; done = nil }.
func (c *checker) callsAssigning(s ast.Stmt, v *types.Var) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return !found
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
			if fv, ok := c.info.Uses[id].(*types.Var); ok && nav.IsLocal(fv) {
				if lit, ok := ast.Unparen(c.ctxs.Definition(fv)).(*ast.FuncLit); ok && assignsIn(c.info, lit.Body, v) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// exprText is the source text of e, or a placeholder.
func (c *checker) exprText(e ast.Expr) string {
	if t, ok := c.src.Text(e.Pos(), e.End()); ok {
		return t
	}
	return "ctx.Done()"
}

// errText is the error to return for the context ctxExpr.
func (c *checker) errText(ctxExpr ast.Expr) string {
	return c.exprText(ctxExpr) + ".Err()"
}
