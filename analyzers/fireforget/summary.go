package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A summary records what a function body does that tells whether the
// goroutine running it is tracked. Nested go statements are not looked at:
// they start goroutines of their own.
type summary struct {
	joins    bool       // calls (*sync.WaitGroup).Done or closes an io.PipeWriter
	ctxUse   bool       // uses a context.Context from outside the body
	stopRecv bool       // receives from a stop channel
	sends    []ast.Expr // channels it sends on or closes
	// resources are the types of another package whose methods it
	// calls in a loop (conn.Read(p)), or, in a function literal, as a
	// statement of its own (if err := srv.Serve(l); ...): closing such
	// a resource (a connection, a listener, a server) makes the calls
	// fail and the goroutine end.
	resources []*types.TypeName
	// touches are the types of another package whose methods it calls
	// anywhere: for a function the goroutine calls, what its work touches.
	touches []*types.TypeName
	// pollsFlag: a loop stops on a flag that other code sets — a
	// sync/atomic value, or a field or package variable that code outside
	// the goroutine assigns (see stopCondition).
	pollsFlag bool
	// lifetime: it waits for OS signals, or unconditionally ends the
	// process (os.Exit, log.Fatal): it lives as long as the process by
	// design.
	lifetime bool
	callees  []*types.Func // same-package functions it calls
}

func (c *checker) summarize(body inspector.Cursor) *summary {
	b := body.Node().(*ast.BlockStmt)
	if s, ok := c.sums[b]; ok {
		return s
	}
	s := new(summary)
	c.sums[b] = s
	filter := []ast.Node{(*ast.GoStmt)(nil), (*ast.CallExpr)(nil), (*ast.SendStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil),
		(*ast.ForStmt)(nil), (*ast.IfStmt)(nil)}
	body.Inspect(filter, func(cur inspector.Cursor) bool {
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			return false // another goroutine's body
		case *ast.ForStmt:
			if n.Cond != nil && c.readsFlag(n.Cond, b) {
				s.pollsFlag = true // for !s.closed { … }
			}
		case *ast.IfStmt:
			if inLoop(cur, b) && leavesLoop(n.Body) && c.readsFlag(n.Cond, b) {
				s.pollsFlag = true // if s.closed { return }
			}
		case *ast.SendStmt:
			s.sends = append(s.sends, n.Chan)
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && (c.chanIndex().stop(n.X) || c.stopCase(cur, b)) {
				s.stopRecv = true
			}
			if n.Op == token.ARROW && signalChan(c.info, n.X) {
				s.lifetime = true
			}
		case *ast.RangeStmt:
			if isChan(c.info.TypeOf(n.X)) && c.chanIndex().stop(n.X) {
				s.stopRecv = true
			}
			if signalChan(c.info, n.X) {
				s.lifetime = true
			}
		case *ast.CallExpr:
			tn, stop := c.resourceCall(n)
			if tn != nil && !stop {
				s.touches = append(s.touches, tn)
			}
			if main := inLoop(cur, b) || topLevelInLiteral(cur, body); main {
				if tn != nil && !stop {
					s.resources = append(s.resources, tn)
				}
				if c.carriesContext(n) {
					s.ctxUse = true // a gRPC stream, an *http.Request: its context ends it
				}
			}
			fn := match.Callee(c.info, n)
			if (c.loadsAtomic(fn) || c.readsAtomic(fn)) && stopCondition(cur, b) {
				s.pollsFlag = true
			}
			if exits(fn) && unconditional(cur, b) {
				s.lifetime = true
			}
			if c.handsOver(cur, n, body) {
				s.joins = true
			}
			return c.summarizeCall(n, b, s)
		}
		return true
	})
	return s
}

// summarizeCall records call in s and says whether to look inside it.
func (c *checker) summarizeCall(call *ast.CallExpr, body *ast.BlockStmt, s *summary) bool {
	if nav.IsBuiltin(c.info, call, "close") && len(call.Args) == 1 {
		s.sends = append(s.sends, call.Args[0])
		return true
	}
	fn := match.Callee(c.info, call)
	switch {
	case c.joins(fn):
		s.joins = true
	case match.IsFunc(fn, "context", "Background", "TODO", "WithoutCancel"):
		return false // a context that no one outside cancels
	case match.IsMethod(fn, "context", "Context", "Done", "Err"):
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && c.outerCtx(sel.X, body) {
			s.ctxUse = true
		}
	}
	for _, a := range call.Args {
		if match.IsContext(c.info.TypeOf(a)) && c.outerCtx(a, body) {
			s.ctxUse = true // cancellation reaches the call
		}
	}
	if fn != nil && fn.Pkg() == c.pass.Pkg {
		if _, ok := c.decls[fn]; ok {
			s.callees = append(s.callees, fn)
		}
	}
	return true
}

// topLevelInLiteral reports whether the call at cur is a statement of the
// function literal whose body is body, or the initialiser of one of its if
// statements: the goroutine's main work.
func topLevelInLiteral(cur inspector.Cursor, body inspector.Cursor) bool {
	if _, ok := body.Parent().Node().(*ast.FuncLit); !ok {
		return false // a declared function: a call in it may be one among many
	}
	p := cur.Parent()
	for {
		switch p.Node().(type) {
		case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.ParenExpr, *ast.UnaryExpr, *ast.BinaryExpr:
			p = p.Parent()
			continue // still part of the same statement
		case *ast.IfStmt:
			p = p.Parent()
		}
		return p.Node() == body.Node()
	}
}

// stopCase reports whether the receive at cur is the comm of a select case
// in a loop of body that discards the value and returns — case <-s.quit:
// return — on a channel that is not a timer's: whatever is sent on it,
// by a Stop that sends true on a chan bool as by a close, stops the loop.
func (c *checker) stopCase(cur inspector.Cursor, body *ast.BlockStmt) bool {
	stmt := cur.Parent()
	if _, ok := stmt.Node().(*ast.ExprStmt); !ok || stmt.ParentEdgeKind() != edge.CommClause_Comm {
		return false // the value is used, or not a select case
	}
	ch, ok := nav.TypeOf(c.info, cur.Node().(*ast.UnaryExpr).X).Underlying().(*types.Chan)
	if !ok || match.IsNamed(ch.Elem(), "time", "Time") || !inLoop(cur, body) {
		return false // a timer or ticker fires, it does not stop
	}
	clause := stmt.Parent().Node().(*ast.CommClause)
	for _, st := range clause.Body {
		if _, ok := st.(*ast.ReturnStmt); ok {
			return true
		}
	}
	return false
}

// leavesLoop reports whether block holds a return or a break among its
// statements: an if with such a body stops the loop it is in.
func leavesLoop(block *ast.BlockStmt) bool {
	for _, st := range block.List {
		switch st := st.(type) {
		case *ast.ReturnStmt:
			return true
		case *ast.BranchStmt:
			if st.Tok == token.BREAK {
				return true
			}
		}
	}
	return false
}

// readsFlag reports whether cond reads a field or package variable that
// code outside body assigns: a stop flag (s.closed = true in Close).
func (c *checker) readsFlag(cond ast.Expr, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		var v *types.Var
		switch n := n.(type) {
		case *ast.FuncLit, *ast.CallExpr:
			return false // a call's result is not a flag read here
		case *ast.SelectorExpr:
			if sel := c.info.Selections[n]; sel != nil && sel.Kind() == types.FieldVal {
				v, _ = sel.Obj().(*types.Var)
			}
		case *ast.Ident:
			pv, ok := c.info.Uses[n].(*types.Var)
			if !ok {
				break
			}
			if pv.Parent() == c.pass.Pkg.Scope() {
				v = pv // a package-level variable
			} else if init := localCopy(c.info, pv, body); init != nil && c.readsFlag(init, body) {
				found = true // closed := s.closed, read under the lock, then if closed { return }
			}
		}
		if v != nil {
			for _, pos := range c.writes()[v] {
				if pos < body.Pos() || pos >= body.End() {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// localCopy returns the value that the local variable v, declared in body
// by a short variable declaration or a var spec, is initialised with
// (closed := s.closed), or nil. The value is itself a field or variable
// read: a call's result was looked into, or not, where it was made.
func localCopy(info *types.Info, v *types.Var, body *ast.BlockStmt) ast.Expr {
	if !nav.Within(v.Pos(), body) {
		return nil
	}
	var init ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		lhs, rhs := nav.Assignment(n)
		if len(lhs) != len(rhs) {
			return init == nil
		}
		for i, l := range lhs {
			if id, ok := l.(*ast.Ident); ok && info.Defs[id] == v {
				switch r := ast.Unparen(rhs[i]).(type) {
				case *ast.SelectorExpr, *ast.Ident:
					init = r
				}
			}
		}
		return init == nil
	})
	return init
}

// writes returns, for every field and package-level variable of the
// package, where the package assigns it; built on first use.
func (c *checker) writes() map[*types.Var][]token.Pos {
	if c.assigned != nil {
		return c.assigned
	}
	c.assigned = make(map[*types.Var][]token.Pos)
	record := func(e ast.Expr) {
		var v *types.Var
		switch e := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			if sel := c.info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
				v, _ = sel.Obj().(*types.Var)
			}
		case *ast.Ident:
			if pv, ok := c.info.Uses[e].(*types.Var); ok && pv.Parent() == c.pass.Pkg.Scope() {
				v = pv
			}
		}
		if v != nil {
			c.assigned[v] = append(c.assigned[v], e.Pos())
		}
	}
	for cur := range c.cursors().Preorder((*ast.AssignStmt)(nil), (*ast.IncDecStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				record(l)
			}
		case *ast.IncDecStmt:
			record(n.X)
		}
	}
	return c.assigned
}

// stopCondition reports whether the expression at cur, in a loop of the
// function whose body is body, decides whether the loop goes on: it is in
// the loop's condition, or in the condition of an if statement that
// returns or breaks.
func stopCondition(cur inspector.Cursor, body *ast.BlockStmt) bool {
	if !inLoop(cur, body) {
		return false
	}
	for e := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.IfStmt)(nil), (*ast.BlockStmt)(nil), (*ast.FuncLit)(nil)) {
		switch n := e.Node().(type) {
		case *ast.ForStmt:
			return n.Cond != nil && n.Cond.Pos() <= cur.Node().Pos() && cur.Node().End() <= n.Cond.End()
		case *ast.IfStmt:
			if n.Cond.Pos() <= cur.Node().Pos() && cur.Node().End() <= n.Cond.End() {
				for _, st := range n.Body.List {
					switch st := st.(type) {
					case *ast.ReturnStmt:
						return true
					case *ast.BranchStmt:
						if st.Tok == token.BREAK {
							return true
						}
					}
				}
			}
			return false
		case *ast.BlockStmt, *ast.FuncLit:
			return false // the expression is not a condition
		}
	}
	return false
}

// inLoop reports whether cur is in a loop of the function whose body is
// body.
func inLoop(cur inspector.Cursor, body *ast.BlockStmt) bool {
	for e := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.BlockStmt)(nil)) {
		switch n := e.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit:
			return false // another function
		case *ast.BlockStmt:
			if n == body {
				return false // reached the body
			}
		}
	}
	return false
}

// signalChan reports whether e is a channel of os.Signal: a goroutine that
// waits for signals serves the whole process.
func signalChan(info *types.Info, e ast.Expr) bool {
	ch, ok := nav.TypeOf(info, e).Underlying().(*types.Chan)
	return ok && match.IsNamed(ch.Elem(), "os", "Signal")
}

// exits reports whether fn ends the process.
func exits(fn *types.Func) bool {
	return match.IsFunc(fn, "os", "Exit") ||
		match.IsFunc(fn, "log", "Fatal", "Fatalf", "Fatalln") ||
		match.IsMethod(fn, "log", "Logger", "Fatal", "Fatalf", "Fatalln")
}

// unconditional reports whether the call at cur is a statement of body, or
// of a function literal that body defers: it runs whenever body does.
func unconditional(cur inspector.Cursor, body *ast.BlockStmt) bool {
	stmt := cur.Parent()
	switch stmt.Node().(type) {
	case *ast.ExprStmt:
	case *ast.DeferStmt:
		return stmt.Parent().Node() == body // defer os.Exit(1)
	default:
		return false
	}
	block := stmt.Parent().Node()
	if block == body {
		return true
	}
	lit := stmt.Parent().Parent()
	if _, ok := lit.Node().(*ast.FuncLit); !ok || lit.ParentEdgeKind() != edge.CallExpr_Fun {
		return false
	}
	d, ok := lit.Parent().Parent().Node().(*ast.DeferStmt)
	return ok && lit.Parent().Parent().Parent().Node() == body && d.Call == lit.Parent().Node()
}

// handsOver reports whether call, in the body of a function literal that
// does something else first, closes a variable captured from the function
// around it, outside any loop and not deferred: the goroutine writes into
// a pipe or connection and closes it when done, and whoever reads the other
// end waits for that close, as for a closed channel. A deferred close is
// cleanup (defer conn.Close() in a connection handler) and says nothing.
func (c *checker) handsOver(cur inspector.Cursor, call *ast.CallExpr, body inspector.Cursor) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Close" && sel.Sel.Name != "CloseWithError") {
		return false
	}
	b := body.Node().(*ast.BlockStmt)
	if _, ok := body.Parent().Node().(*ast.FuncLit); !ok || len(b.List) < 2 || inLoop(cur, b) {
		return false // not a literal doing something before the close, or in a loop
	}
	if _, ok := cur.Parent().Node().(*ast.DeferStmt); ok {
		return false // cleanup
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.info.Uses[id].(*types.Var)
	return ok && (v.Pos() < b.Pos() || v.Pos() >= b.End()) && c.localVar(body, v)
}

// loadsAtomic reports whether fn is a Load of an atomic package.
func (c *checker) loadsAtomic(fn *types.Func) bool {
	return fn != nil && isAtomic(fn.Pkg()) && strings.HasPrefix(fn.Name(), "Load")
}

// readsAtomic reports whether fn is a function of this package whose body
// is a single return of an expression that loads an atomic value:
// func (p *Pool) closed() bool { return p.state.Load() == closed }.
func (c *checker) readsAtomic(fn *types.Func) bool {
	decl, ok := c.decls[fn]
	if !ok {
		return false // declared elsewhere
	}
	body := decl.Body
	if len(body.List) != 1 {
		return false
	}
	ret, ok := body.List[0].(*ast.ReturnStmt)
	if !ok {
		return false
	}
	found := false
	for _, r := range ret.Results {
		ast.Inspect(r, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && c.loadsAtomic(match.Callee(c.info, call)) {
				found = true
			}
			return !found
		})
	}
	return found
}
