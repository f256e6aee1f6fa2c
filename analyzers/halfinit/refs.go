package halfinit

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/nav"
)

// A ref is shared state as code names it: a package-level variable, or a
// field, at any depth of field selections, of one. Every goroutine of the
// process sees the same one.
type ref struct {
	root *types.Var // the package-level variable
	path string     // the fields selected from it, ".a.b"; "" for the variable
}

// refOf returns the shared state that e names: v, pkg.V, v.f.g (through
// pointers too: the pointee of a package-level pointer is shared as well).
func (c *checker) refOf(e ast.Expr) (ref, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := c.info.Uses[e].(*types.Var)
		if !ok || !packageLevel(v) {
			return ref{}, false // a local, a parameter, or not a variable
		}
		return ref{root: v}, true
	case *ast.SelectorExpr:
		sel := c.info.Selections[e]
		if sel == nil { // a qualified identifier, pkg.V
			v, ok := c.info.Uses[e.Sel].(*types.Var)
			if !ok || !packageLevel(v) {
				return ref{}, false // another package's function, type or constant
			}
			return ref{root: v}, true
		}
		if sel.Kind() != types.FieldVal {
			return ref{}, false // a method value
		}
		r, ok := c.refOf(e.X)
		if !ok {
			return ref{}, false // a field of something not shared
		}
		r.path += "." + e.Sel.Name
		return r, true
	}
	return ref{}, false // an element, a call's result, …
}

func packageLevel(v *types.Var) bool {
	return v.Pkg() != nil && !v.IsField() && v.Parent() == v.Pkg().Scope()
}

// name is how messages name r: "client", "cfg.client".
func (r ref) name() string { return r.root.Name() + r.path }

// A zeroForm is how a lazy initialisation tests for "not made yet".
type zeroForm int

const (
	formNil  zeroForm = iota // x == nil
	formZero                 // x == "", x == 0
	formLen                  // len(x) == 0
)

// zeroTest returns the shared state that cond tests for "not made yet" —
// x == nil, x == "", x == 0, len(x) == 0, either way round, alone or as
// an operand of && — and the expression that reads it.
func (c *checker) zeroTest(cond ast.Expr) (ref, ast.Expr, zeroForm, bool) {
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return ref{}, nil, 0, false // not a comparison
	}
	switch bin.Op {
	case token.LAND:
		if r, read, form, ok := c.zeroTest(bin.X); ok {
			return r, read, form, true
		}
		return c.zeroTest(bin.Y)
	case token.EQL:
	default:
		return ref{}, nil, 0, false // not ==
	}
	for _, pair := range [2][2]ast.Expr{{bin.X, bin.Y}, {bin.Y, bin.X}} {
		x, other := pair[0], pair[1]
		form, ok := c.zeroOperand(other)
		if !ok {
			continue // not nil, a zero constant or 0
		}
		if form == formZero {
			if call, ok := ast.Unparen(x).(*ast.CallExpr); ok && nav.IsBuiltin(c.info, call, "len") && len(call.Args) == 1 {
				form, x = formLen, call.Args[0]
			}
		}
		if r, ok := c.refOf(x); ok {
			return r, ast.Unparen(x), form, true
		}
	}
	return ref{}, nil, 0, false
}

// zeroOperand reports whether e is nil or a constant zero ("", 0).
func (c *checker) zeroOperand(e ast.Expr) (zeroForm, bool) {
	tv, ok := c.info.Types[e]
	if !ok {
		return 0, false
	}
	if tv.IsNil() {
		return formNil, true
	}
	if tv.Value == nil {
		return 0, false // not a constant
	}
	switch tv.Value.Kind() {
	case constant.String:
		return formZero, constant.StringVal(tv.Value) == ""
	case constant.Int, constant.Float:
		return formZero, constant.Sign(tv.Value) == 0
	}
	return 0, false // a bool or complex constant
}

// A lazyInit is `if x == nil { … x = … }` on shared state x.
type lazyInit struct {
	ifc   inspector.Cursor // the if statement
	ifs   *ast.IfStmt
	ref   ref
	read  ast.Expr // the read in the condition
	form  zeroForm
	write inspector.Cursor // the first assignment to ref in the body
	fn    inspector.Cursor // the innermost function holding the if
}

// assign returns the assignment statement at li.write.
func (li *lazyInit) assign() *ast.AssignStmt { return li.write.Node().(*ast.AssignStmt) }

// lazyInits returns the package's lazy initialisations of shared state.
func (c *checker) lazyInits() []*lazyInit {
	var out []*lazyInit
	for cur := range c.root.Preorder((*ast.IfStmt)(nil)) {
		ifs := cur.Node().(*ast.IfStmt)
		r, read, form, ok := c.zeroTest(ifs.Cond)
		if !ok {
			continue // does not test shared state for its zero value
		}
		if !c.pass.Reportable(ifs.Pos()) {
			continue // generated, or a test file without -halfinit.tests
		}
		w, ok := c.assignmentTo(cur.ChildAt(edge.IfStmt_Body, -1), r)
		if !ok {
			continue // tests it but does not initialise it
		}
		fn, ok := nav.EnclosingFunc(cur)
		if !ok {
			panic("halfinit: an if statement outside any function")
		}
		out = append(out, &lazyInit{ifc: cur, ifs: ifs, ref: r, read: read, form: form, write: w, fn: fn})
	}
	return out
}

// assignmentTo returns the first assignment to r within cur, outside any
// function literal.
func (c *checker) assignmentTo(cur inspector.Cursor, r ref) (inspector.Cursor, bool) {
	var found inspector.Cursor
	ok := false
	cur.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.AssignStmt)(nil)}, func(n inspector.Cursor) bool {
		if ok {
			return false
		}
		as, isAssign := n.Node().(*ast.AssignStmt)
		if !isAssign {
			return false // a literal runs when it is called, not here
		}
		if as.Tok != token.ASSIGN {
			return true // := declares locals; x += … is not an initialisation
		}
		for _, l := range as.Lhs {
			if lr, isRef := c.refOf(l); isRef && lr == r {
				found, ok = n, true
				return false
			}
		}
		return true
	})
	return found, ok
}
