package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
)

// A start is one place where a function begins to run on a goroutine: a go
// statement, or a call of a launcher, which starts its argument.
type start struct {
	cur  inspector.Cursor // the go statement or the launcher call
	node ast.Node
	call *ast.CallExpr // the go statement's call; nil for a launcher call
	fun  ast.Expr      // the started function, without parentheses
	lit  *ast.FuncLit  // fun, if it is a function literal
	// impl is the literal whose body runs: lit, or the literal that a
	// local function variable started by name was initialised with and
	// never changed from.
	impl    *ast.FuncLit
	implCur inspector.Cursor
	fn      *types.Func // the function started, if known statically (generic origin)
	sig     *types.Signature
	args    []ast.Expr // what the go statement passes; nil for a launcher call

	via   *types.Func // the launcher called
	state state       // how the launcher starts its argument
	depth int         // of a function passed to a started function
}

// goStart returns the start of the go statement at cur.
func (c *checker) goStart(cur inspector.Cursor) *start {
	gs := cur.Node().(*ast.GoStmt)
	s := &start{cur: cur, node: gs, call: gs.Call, fun: ast.Unparen(gs.Call.Fun), args: gs.Call.Args}
	s.lit, _ = s.fun.(*ast.FuncLit)
	s.fn = match.Callee(c.info, gs.Call)
	if t := c.info.TypeOf(gs.Call.Fun); t != nil {
		s.sig, _ = t.Underlying().(*types.Signature)
	}
	c.findImpl(s)
	return s
}

// findImpl sets s.impl.
func (c *checker) findImpl(s *start) {
	if s.lit != nil {
		if lit, ok := s.cur.FindNode(s.lit); ok {
			s.impl, s.implCur = s.lit, lit
		}
		return // a literal is its own implementation
	}
	id, ok := s.fun.(*ast.Ident)
	if !ok {
		return // not a variable
	}
	v, ok := c.info.Uses[id].(*types.Var)
	if !ok || !c.localVar(s.cur, v) || c.mutated(s.cur)[v] {
		return // not a local variable that keeps its first value
	}
	f, _ := outermost(s.cur)
	def, ok := f.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !ok {
		panic("fireforget: no syntax for a local variable")
	}
	if _, isIdent := def.Node().(*ast.Ident); !isIdent {
		panic("fireforget: a local variable declared by something other than an identifier")
	}
	var init ast.Expr
	switch def.ParentEdgeKind() {
	case edge.AssignStmt_Lhs:
		if as := def.Parent().Node().(*ast.AssignStmt); len(as.Lhs) == len(as.Rhs) {
			init = as.Rhs[def.ParentEdgeIndex()]
		}
	case edge.ValueSpec_Names:
		if vs := def.Parent().Node().(*ast.ValueSpec); len(vs.Names) == len(vs.Values) {
			init = vs.Values[def.ParentEdgeIndex()]
		}
	}
	lit, ok := ast.Unparen(init).(*ast.FuncLit)
	if !ok {
		return // not initialised with a function literal
	}
	if lc, ok := def.Parent().FindNode(lit); ok {
		s.impl, s.implCur = lit, lc
	}
}

// launcherStart returns the start made by the call at cur if it calls a
// launcher, or nil.
func (c *checker) launcherStart(cur inspector.Cursor) *start {
	call := cur.Node().(*ast.CallExpr)
	fn := match.Callee(c.info, call)
	f := c.launcherOf(fn)
	if f == nil || f.Param >= len(call.Args) || call.Ellipsis.IsValid() {
		return nil // not a launcher, or its argument is not in place
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := c.info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			return nil // T.M(recv, args): the arguments are shifted; rare enough to skip
		}
	}
	arg := ast.Unparen(call.Args[f.Param])
	s := &start{cur: cur, node: call, fun: arg, via: fn, state: f.State}
	s.lit, _ = arg.(*ast.FuncLit)
	s.fn = c.funcOf(arg)
	if t := c.info.TypeOf(arg); t != nil {
		s.sig, _ = t.Underlying().(*types.Signature)
	}
	c.findImpl(s)
	return s
}

// funcOf returns the function that e names: a function, a qualified
// function or a method value; or nil.
func (c *checker) funcOf(e ast.Expr) *types.Func {
	var obj types.Object
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj = c.info.Uses[e]
	case *ast.SelectorExpr:
		if sel := c.info.Selections[e]; sel != nil {
			if sel.Kind() != types.MethodVal {
				return nil // a field of func type, or a method expression
			}
			obj = sel.Obj()
		} else {
			obj = c.info.Uses[e.Sel] // pkg.F
		}
	case *ast.IndexExpr, *ast.IndexListExpr:
		return c.funcOf(indexedFunc(e))
	}
	if fn, ok := obj.(*types.Func); ok {
		return fn.Origin()
	}
	return nil
}

// indexedFunc returns F of an explicit instantiation F[T].
func indexedFunc(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.IndexExpr:
		return e.X
	case *ast.IndexListExpr:
		return e.X
	}
	return e
}

// bodyOf returns the body of the function s starts, if this package has it.
func (c *checker) bodyOf(s *start) (inspector.Cursor, bool) {
	if s.impl != nil {
		return s.implCur.ChildAt(edge.FuncLit_Body, -1), true
	}
	return c.declBody(s.fn)
}

// declBody returns the body of fn if this package declares it.
func (c *checker) declBody(fn *types.Func) (inspector.Cursor, bool) {
	decl, ok := c.declCurs[fn]
	if !ok {
		return inspector.Cursor{}, false // declared elsewhere, or a func value
	}
	return decl.ChildAt(edge.FuncDecl_Body, -1), true
}
