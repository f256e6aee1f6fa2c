package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/nav"
)

// stable reports whether evaluating e inside the task, later, gives what the
// go statement at cur gave when it evaluated e: a constant, nil, a function
// literal, a named function, or a local variable that nothing assigns or
// takes the address of (see mutated). Anything else is bound to a fresh
// local before task.Go.
func (c *checker) stable(cur inspector.Cursor, e ast.Expr) bool {
	e = ast.Unparen(e)
	if tv, ok := c.info.Types[e]; ok && (tv.Value != nil || tv.IsNil()) {
		return true // a constant or nil
	}
	switch e := e.(type) {
	case *ast.FuncLit:
		// It captures variables, not values: evaluated now or later, it
		// refers to the same ones.
		return true
	case *ast.Ident:
		switch obj := c.info.Uses[e].(type) {
		case *types.Func:
			return true
		case *types.Var:
			return c.localVar(cur, obj) && !c.mutated(cur)[obj]
		}
	case *ast.SelectorExpr:
		if _, ok := c.info.Selections[e]; !ok {
			_, isFunc := c.info.Uses[e.Sel].(*types.Func)
			return isFunc // pkg.F
		}
	case *ast.IndexExpr, *ast.IndexListExpr:
		return c.funcOf(e) != nil && c.info.Types[e].IsValue() // F[T]
	}
	return false
}

// outermost returns the outermost function around cur: a local variable
// of the function around cur is declared, and can only be changed, within
// it.
func outermost(cur inspector.Cursor) (inspector.Cursor, bool) {
	var out inspector.Cursor
	found := false
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		out, found = f, true
	}
	return out, found
}

// localVar reports whether v is declared in the function around cur.
func (c *checker) localVar(cur inspector.Cursor, v *types.Var) bool {
	f, ok := outermost(cur)
	if !ok || v.Pkg() != c.pass.Pkg || v.IsField() {
		return false
	}
	n := f.Node()
	return n.Pos() <= v.Pos() && v.Pos() < n.End()
}

// mutated returns the variables that the outermost function around cur may
// change after their declaration: assigned (also by :=, ++ and a range
// clause), their address taken (explicitly, by calling a pointer method,
// or by slicing an array), or, in a file before Go 1.22, declared by a for
// or range clause, whose one variable serves every iteration. From Go 1.22
// each iteration has its own variable, and the post statement of a for
// loop changes the next iteration's copy, not the one a goroutine started
// in the body sees.
func (c *checker) mutated(cur inspector.Cursor) map[*types.Var]bool {
	f, ok := outermost(cur)
	if !ok {
		return nil
	}
	if m, ok := c.muts[f.Node()]; ok {
		return m
	}
	w := &mutWalker{c: c, m: make(map[*types.Var]bool), perIteration: c.pass.AtLeast(f.Node().Pos(), "go1.22")}
	c.muts[f.Node()] = w.m
	f.Inspect(mutTypes, w.visit)
	return w.m
}

var mutTypes = []ast.Node{(*ast.AssignStmt)(nil), (*ast.IncDecStmt)(nil), (*ast.RangeStmt)(nil), (*ast.ForStmt)(nil),
	(*ast.UnaryExpr)(nil), (*ast.SliceExpr)(nil), (*ast.SelectorExpr)(nil)}

type mutWalker struct {
	c            *checker
	m            map[*types.Var]bool
	perIteration bool                // the file has Go 1.22 loop variables
	skip         map[*types.Var]bool // loop variables, while in their loop's post statement
}

func (w *mutWalker) mark(e ast.Expr) {
	if v := w.c.varRoot(e); v != nil && !w.skip[v] {
		w.m[v] = true
	}
}

func (w *mutWalker) defined(e ast.Expr) *types.Var {
	if id, ok := e.(*ast.Ident); ok {
		v, _ := w.c.info.Defs[id].(*types.Var)
		return v
	}
	return nil
}

func (w *mutWalker) visit(cur inspector.Cursor) bool {
	info := w.c.info
	switch n := cur.Node().(type) {
	case *ast.AssignStmt:
		for _, l := range n.Lhs {
			if n.Tok == token.DEFINE && w.defined(l) != nil {
				continue // declared here, not changed
			}
			w.mark(l)
		}
	case *ast.IncDecStmt:
		w.mark(n.X)
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{n.Key, n.Value} {
			switch {
			case e == nil:
			case n.Tok == token.ASSIGN:
				w.mark(e)
			case !w.perIteration:
				if v := w.defined(e); v != nil {
					w.m[v] = true // one variable for every iteration
				}
			}
		}
	case *ast.ForStmt:
		as, _ := n.Init.(*ast.AssignStmt)
		if as == nil || as.Tok != token.DEFINE {
			return true // no loop variables
		}
		if !w.perIteration {
			for _, l := range as.Lhs {
				if v := w.defined(l); v != nil {
					w.m[v] = true // one variable for every iteration
				}
			}
			return true
		}
		if n.Post == nil {
			return true
		}
		// The post statement changes the next iteration's copies of the
		// loop variables, not the ones the body saw.
		for child := range cur.Children() {
			if child.Node() != n.Post {
				child.Inspect(mutTypes, w.visit)
				continue // not the post statement
			}
			saved := w.skip
			w.skip = make(map[*types.Var]bool)
			for _, l := range as.Lhs {
				if v := w.defined(l); v != nil {
					w.skip[v] = true
				}
			}
			child.Inspect(mutTypes, w.visit)
			w.skip = saved
		}
		return false
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			w.mark(n.X)
		}
	case *ast.SliceExpr:
		if _, ok := nav.TypeOf(info, n.X).Underlying().(*types.Array); ok {
			w.mark(n.X) // a[:] takes a's address
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal && !sel.Indirect() {
			if _, ptrRecv := sel.Obj().(*types.Func).Signature().Recv().Type().(*types.Pointer); ptrRecv {
				if _, isPtr := nav.TypeOf(info, n.X).Underlying().(*types.Pointer); !isPtr {
					w.mark(n.X) // x.m() with func (*T) m() takes &x
				}
			}
		}
	}
	return true
}

// varRoot returns the variable whose value changes when e is assigned: x for
// x, x.f of a struct x, or x[i] of an array x; nil when e is reached through
// a pointer, a slice or a map.
func (c *checker) varRoot(e ast.Expr) *types.Var {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			v, _ := c.info.Uses[x].(*types.Var)
			return v
		case *ast.SelectorExpr:
			sel := c.info.Selections[x]
			if sel == nil {
				return nil // pkg.V: not a local
			}
			if _, isPtr := nav.TypeOf(c.info, x.X).Underlying().(*types.Pointer); isPtr || sel.Indirect() {
				return nil // changes what a pointer points to
			}
			e = x.X
		case *ast.IndexExpr:
			if _, ok := nav.TypeOf(c.info, x.X).Underlying().(*types.Array); !ok {
				return nil // an element of a slice or map, or a type argument
			}
			e = x.X
		default:
			return nil // *p, a call's result, ...
		}
	}
}
