package contexts

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
)

// MentionsCancel reports whether n, outside skip and outside nested
// function literals, observes cancellation: a receive from ctx.Done(), a
// call of ctx.Err() or context.Cause, context.Canceled or
// DeadlineExceeded (or gRPC's codes of those names), or a call of the
// runtime's cancel.Is, Of or Err.
func MentionsCancel(info *types.Info, n, skip ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil:
			return false
		case *ast.FuncLit:
			return false // runs at another time
		case *ast.CallExpr:
			fn := match.Callee(info, n)
			if match.IsMethod(fn, "context", "Context", "Err", "Done") || match.IsFunc(fn, "context", "Cause") ||
				match.IsFunc(fn, match.CancelPath, "Is", "Of", "Err") {
				found = true
			}
		case *ast.SelectorExpr, *ast.Ident:
			if isCancelValue(info, n.(ast.Expr)) {
				found = true
			}
		}
		return !found && n != skip
	})
	return found
}

// ChecksCancel reports whether loop, outside sel, observes cancellation
// between two waits.
func ChecksCancel(info *types.Info, loop, sel ast.Node) bool {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return (l.Cond != nil && MentionsCancel(info, l.Cond, sel)) || MentionsCancel(info, l.Body, sel)
	case *ast.RangeStmt:
		return MentionsCancel(info, l.Body, sel)
	}
	return false
}

// Deliberate reports whether code at cur runs detached from ctx on
// purpose: within ctx's function it is a deferred call or a go statement's
// call, or it is reached only after cancellation was seen — inside a case
// <-ctx.Done() or an if that tests ctx.Err(), or after a statement that
// waits for cancellation. Shutdown and cleanup code must outlive the ctx it
// was handed.
func Deliberate(info *types.Info, cur inspector.Cursor, ctx Ctx) bool {
	for c := cur; c.Node() != ctx.Func; c = c.Parent() {
		p := c.Parent()
		if !p.Valid() {
			panic("contexts.Deliberate: the ctx's function does not enclose the code")
		}
		switch pn := p.Node().(type) {
		case *ast.GoStmt, *ast.DeferStmt:
			return true // runs later, after the caller may have gone
		case *ast.CommClause:
			if c.ParentEdgeKind() == edge.CommClause_Body && IsDoneRecv(info, pn.Comm) {
				return true // inside case <-ctx.Done():
			}
		case *ast.IfStmt:
			if k := c.ParentEdgeKind(); (k == edge.IfStmt_Body || k == edge.IfStmt_Else) &&
				((pn.Init != nil && MentionsCancel(info, pn.Init, nil)) || MentionsCancel(info, pn.Cond, nil)) {
				return true // inside if ctx.Err() != nil
			}
		}
		if _, ok := c.Node().(ast.Stmt); ok {
			for s, ok := c.PrevSibling(); ok; s, ok = s.PrevSibling() {
				if st, isStmt := s.Node().(ast.Stmt); isStmt && WaitsForCancel(info, st) {
					return true // after <-ctx.Done() or a loop that ends on it
				}
			}
		}
	}
	return false
}

// WaitsForCancel reports whether the code after s may run because ctx was
// cancelled: s is <-ctx.Done(), a loop that runs while ctx.Err() is nil, or
// a select or loop with a case <-ctx.Done() that does not return. A guard
// that returns on cancellation (if ctx.Err() != nil { return }) is the
// opposite: the code after it runs only while ctx is live.
func WaitsForCancel(info *types.Info, s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.LabeledStmt:
		return WaitsForCancel(info, s.Stmt)
	case *ast.ExprStmt, *ast.AssignStmt:
		return IsDoneRecv(info, s)
	case *ast.ForStmt:
		if s.Cond != nil && MentionsCancel(info, s.Cond, nil) {
			return true
		}
		return hasFallThroughDone(info, s.Body)
	case *ast.RangeStmt:
		return hasFallThroughDone(info, s.Body)
	case *ast.SelectStmt:
		return hasFallThroughDone(info, s.Body)
	}
	return false
}

// hasFallThroughDone reports whether n holds, outside function literals, a
// case <-ctx.Done() whose body does not end in a return.
func hasFallThroughDone(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // runs at another time
		case *ast.CommClause:
			if IsDoneRecv(info, n.Comm) {
				if len(n.Body) == 0 {
					found = true
				} else if _, ret := n.Body[len(n.Body)-1].(*ast.ReturnStmt); !ret {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// IsDoneRecv reports whether the statement (a select case's comm, or a
// statement) receives from ctx.Done().
func IsDoneRecv(info *types.Info, comm ast.Stmt) bool {
	ch := RecvChan(comm)
	return ch != nil && IsDoneCall(info, ch)
}

// IsDoneCall reports whether e calls the Done method of a context.Context.
func IsDoneCall(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && match.IsMethod(match.Callee(info, call), "context", "Context", "Done")
}

// RecvChan returns the channel that a statement, or a select case's comm,
// receives from (<-ch, v := <-ch, v, ok = <-ch), or nil.
func RecvChan(comm ast.Stmt) ast.Expr {
	var x ast.Expr
	switch s := comm.(type) {
	case *ast.ExprStmt:
		x = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			x = s.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

// Leaves reports whether block ends by leaving the code that follows it.
func Leaves(block *ast.BlockStmt) bool {
	if len(block.List) == 0 {
		return false
	}
	switch s := block.List[len(block.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok != token.FALLTHROUGH
	case *ast.SelectStmt:
		// select { case <-done: return …; case <-timer.C: continue }
		for _, cc := range s.Body.List {
			if body := cc.(*ast.CommClause).Body; len(body) == 0 || !Leaves(&ast.BlockStmt{List: body}) {
				return false
			}
		}
		return true
	}
	return false
}
