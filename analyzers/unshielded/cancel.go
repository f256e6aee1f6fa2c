package unshielded

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/ctxscope"
	"github.com/resilvet/resilvet/internal/match"
)

// This file holds what the rules share about contexts: where a variable
// came from, whether code has already seen cancellation, and whether it
// runs detached from its caller on purpose.

// enclosingFunc returns the innermost function declaration or literal
// enclosing cur.
func enclosingFunc(cur inspector.Cursor) (inspector.Cursor, bool) {
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return p, true
	}
	return inspector.Cursor{}, false
}

// within reports whether pos lies inside n.
func within(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// isLocal reports whether v is a parameter or variable of a function, not
// of a package.
func isLocal(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() != nil && v.Parent() != v.Pkg().Scope()
}

// definition returns the expression that initialises the local variable v
// where it is declared (ctx in ctx, cancel := context.WithCancel(parent)
// gets the call), or nil for a parameter, a variable declared without a
// value, or one declared in another file.
func (c *checker) definition(v *types.Var) ast.Expr {
	if !within(v.Pos(), c.file) {
		return nil // declared in another file
	}
	idc, ok := c.fcur.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !ok {
		return nil // no syntax for it (unreachable for a local)
	}
	id, ok := idc.Node().(*ast.Ident)
	if !ok {
		return nil // not an identifier (unreachable)
	}
	var lhs, rhs []ast.Expr
	switch p := idc.Parent().Node().(type) {
	case *ast.AssignStmt:
		lhs, rhs = p.Lhs, p.Rhs
	case *ast.ValueSpec:
		for _, n := range p.Names {
			lhs = append(lhs, n)
		}
		rhs = p.Values
	default:
		return nil // a parameter, a range variable, a type switch binding…
	}
	for i, l := range lhs {
		if l != id {
			continue // another variable of the statement
		}
		switch {
		case len(rhs) == len(lhs):
			return rhs[i]
		case len(rhs) == 1 && i == 0:
			return rhs[0] // ctx, cancel := context.WithCancel(parent)
		}
	}
	return nil
}

// cancellable reports whether the context variable v may be cancelled
// while the function runs. Not when it is initialised with
// context.Background(), TODO() or WithoutCancel, nor with WithValue,
// WithCancel or WithCancelCause of such a parent: a context the function
// makes for itself and cancels when it decides is not a promise to its
// caller. (WithTimeout and WithDeadline of any parent can end on their
// own, so they are cancellable.) Later assignments are not followed: a
// rare pattern, and the rules built on this then stay silent rather than
// report.
func (c *checker) cancellable(v *types.Var) bool {
	rhs := c.definition(v)
	if rhs == nil {
		return true // a parameter, or declared without a value
	}
	return c.cancellableExpr(rhs, false, 0)
}

// fromCaller reports, more strictly, whether the context variable v
// carries its caller's cancellation: it is a parameter, r.Context() or
// another Context() method's result, or derived from one through package
// context or a call that takes one (ctx, span := tracer.Start(ctx, …)). A
// context the function makes afresh — WithTimeout(Background(), d), or a
// helper's fresh context — bounds the function's own calls; a wait that
// outlasts it delays nobody's cancellation.
func (c *checker) fromCaller(v *types.Var) bool {
	rhs := c.definition(v)
	if rhs == nil {
		return c.isParam(v) // var ctx context.Context: of unknown origin
	}
	return c.cancellableExpr(rhs, true, 0)
}

// isParam reports whether v is a parameter of a function of this file.
func (c *checker) isParam(v *types.Var) bool {
	if !within(v.Pos(), c.file) {
		return false // declared in another file: not a parameter of ours
	}
	idc, ok := c.fcur.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	return ok && idc.ParentEdgeKind() == edge.Field_Names && idc.Parent().ParentEdgeKind() == edge.FieldList_List &&
		idc.Parent().Parent().ParentEdgeKind() == edge.FuncType_Params
}

func (c *checker) cancellableExpr(e ast.Expr, strict bool, depth int) bool {
	if depth > 8 {
		return true // a long chain of definitions: assume the usual
	}
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok && isLocal(v) {
			if rhs := c.definition(v); rhs != nil {
				return c.cancellableExpr(rhs, strict, depth+1)
			}
			return !strict || c.isParam(v) // a parameter, or of unknown origin
		}
	case *ast.CallExpr:
		fn := match.Callee(info, e)
		switch {
		case match.IsFunc(fn, "context", "Background", "TODO", "WithoutCancel"):
			return false
		case match.IsFunc(fn, "context", "WithValue", "WithCancel", "WithCancelCause") && len(e.Args) > 0:
			return c.cancellableExpr(e.Args[0], strict, depth+1)
		case !strict:
			return true
		case fn != nil && fn.Name() == "Context" && fn.Signature().Recv() != nil && len(e.Args) == 0:
			return true // r.Context(), stream.Context(): the caller's request
		}
		for _, arg := range e.Args {
			if match.IsContext(info.TypeOf(arg)) && c.cancellableExpr(arg, strict, depth+1) {
				return true // derived from a context it is given
			}
		}
		return false // a fresh context: no context goes in
	}
	return !strict // a field (s.ctx), a type assertion…: not the caller's
}

// live returns the ctx in scope at cur if it carries the caller's
// cancellation (see fromCaller), and if cur is not part of the statement
// that assigns it:
//
//	ctx, cancel = context.WithCancel(context.Background())
//
// is where ctx gets its value, not a use of it.
func (c *checker) live(cur inspector.Cursor) (ctxscope.Ctx, bool) {
	ctx, ok := ctxscope.At(c.pass.TypesInfo, cur)
	if !ok {
		return ctxscope.Ctx{}, false // no ctx in scope
	}
	if !ctx.FromRequest && !c.fromCaller(ctx.Var) {
		return ctxscope.Ctx{}, false // nothing can cancel it while we run
	}
	for a := range cur.Enclosing((*ast.AssignStmt)(nil), (*ast.FuncLit)(nil), (*ast.BlockStmt)(nil)) {
		if as, ok := a.Node().(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && c.pass.TypesInfo.ObjectOf(id) == ctx.Var {
					return ctxscope.Ctx{}, false // this statement gives ctx its value
				}
			}
		}
		break // only the innermost statement matters
	}
	return ctx, true
}

// mentionsCancel reports whether n, outside skip and outside nested
// function literals, observes cancellation: a receive from ctx.Done(), a
// call of ctx.Err() or context.Cause, or context.Canceled or
// DeadlineExceeded.
func mentionsCancel(info *types.Info, n, skip ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil:
			return false
		case *ast.FuncLit:
			return false // runs at another time
		case *ast.CallExpr:
			fn := match.Callee(info, n)
			if match.IsMethod(fn, "context", "Context", "Err", "Done") || match.IsFunc(fn, "context", "Cause") {
				found = true
			}
		case *ast.SelectorExpr:
			if v, ok := info.Uses[n.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "context" &&
				(v.Name() == "Canceled" || v.Name() == "DeadlineExceeded") {
				found = true
			}
		}
		return !found && n != skip
	})
	return found
}

// checksCancel reports whether loop, outside sel, observes cancellation
// between two waits.
func checksCancel(info *types.Info, loop, sel ast.Node) bool {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return (l.Cond != nil && mentionsCancel(info, l.Cond, sel)) || mentionsCancel(info, l.Body, sel)
	case *ast.RangeStmt:
		return mentionsCancel(info, l.Body, sel)
	}
	return false
}

// deliberate reports whether code at cur runs detached from ctx on
// purpose: within ctx's function it is a deferred call or a go statement's
// call, or it is reached only after cancellation was seen — inside a case
// <-ctx.Done() or an if that tests ctx.Err(), or after a statement that
// waits for cancellation. Shutdown and cleanup code must outlive the ctx it
// was handed.
func deliberate(info *types.Info, cur inspector.Cursor, ctx ctxscope.Ctx) bool {
	for c := cur; c.Node() != ctx.Func; c = c.Parent() {
		p := c.Parent()
		if !p.Valid() {
			return false // ctx.Func is not an ancestor (unreachable)
		}
		switch pn := p.Node().(type) {
		case *ast.GoStmt, *ast.DeferStmt:
			return true // runs later, after the caller may have gone
		case *ast.CommClause:
			if c.ParentEdgeKind() == edge.CommClause_Body && isDoneRecv(info, pn.Comm) {
				return true // inside case <-ctx.Done():
			}
		case *ast.IfStmt:
			if k := c.ParentEdgeKind(); (k == edge.IfStmt_Body || k == edge.IfStmt_Else) &&
				((pn.Init != nil && mentionsCancel(info, pn.Init, nil)) || mentionsCancel(info, pn.Cond, nil)) {
				return true // inside if ctx.Err() != nil
			}
		}
		if _, ok := c.Node().(ast.Stmt); ok {
			for s, ok := c.PrevSibling(); ok; s, ok = s.PrevSibling() {
				if st, isStmt := s.Node().(ast.Stmt); isStmt && waitsForCancel(info, st) {
					return true // after <-ctx.Done() or a loop that ends on it
				}
			}
		}
	}
	return false
}

// waitsForCancel reports whether the code after s may run because ctx was
// cancelled: s is <-ctx.Done(), a loop that runs while ctx.Err() is nil, or
// a select or loop with a case <-ctx.Done() that does not return. A guard
// that returns on cancellation (if ctx.Err() != nil { return }) is the
// opposite: the code after it runs only while ctx is live.
func waitsForCancel(info *types.Info, s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.LabeledStmt:
		return waitsForCancel(info, s.Stmt)
	case *ast.ExprStmt, *ast.AssignStmt:
		return isDoneRecv(info, s)
	case *ast.ForStmt:
		if s.Cond != nil && mentionsCancel(info, s.Cond, nil) {
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
			if isDoneRecv(info, n.Comm) {
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

// isDoneRecv reports whether the statement (a select case's comm, or a
// statement) receives from ctx.Done().
func isDoneRecv(info *types.Info, comm ast.Stmt) bool {
	ch := recvChan(comm)
	return ch != nil && isDoneCall(info, ch)
}

// uncancellableHere reports whether code at cur runs only when ctx.Done()
// is nil — the context package's way of saying that a context can never
// be cancelled:
//
//	if done := ctx.Done(); done != nil { select { … }; continue }
//	time.Sleep(d) // ctx is not cancellable
func (c *checker) uncancellableHere(cur inspector.Cursor) bool {
	for a := cur; a.Valid(); a = a.Parent() {
		switch n := a.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return false // the function's own code only
		case *ast.IfStmt:
			if a != cur && cur.Node().Pos() >= n.Body.Pos() && cur.Node().End() <= n.Body.End() && c.doneNilTest(n) == token.EQL {
				return true // inside if ctx.Done() == nil { … }
			}
		}
		if _, ok := a.Node().(ast.Stmt); !ok {
			continue // only statements have statements before them
		}
		for s, ok := a.PrevSibling(); ok; s, ok = s.PrevSibling() {
			if ifs, ok := s.Node().(*ast.IfStmt); ok && ifs.Else == nil && c.doneNilTest(ifs) == token.NEQ && leaves(ifs.Body) {
				return true // after if ctx.Done() != nil { …; return }
			}
		}
	}
	return false
}

// doneNilTest returns == or != if the condition of ifs compares ctx.Done()
// (or a variable holding it) with nil, or token.ILLEGAL.
func (c *checker) doneNilTest(ifs *ast.IfStmt) token.Token {
	info := c.pass.TypesInfo
	b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
		return token.ILLEGAL
	}
	x, y := b.X, b.Y
	if tv, ok := info.Types[x]; ok && tv.IsNil() {
		x, y = y, x
	}
	if tv, ok := info.Types[y]; !ok || !tv.IsNil() {
		return token.ILLEGAL // not a comparison with nil
	}
	if id, ok := ast.Unparen(x).(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok {
			x = c.definition(v)
		}
	}
	if x == nil || !isDoneCall(info, x) {
		return token.ILLEGAL
	}
	return b.Op
}

// leaves reports whether block ends by leaving the code that follows it.
func leaves(block *ast.BlockStmt) bool {
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
			if body := cc.(*ast.CommClause).Body; len(body) == 0 || !leaves(&ast.BlockStmt{List: body}) {
				return false
			}
		}
		return true
	}
	return false
}
