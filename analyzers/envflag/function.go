package envflag

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A function is one function declaration or literal being checked; the
// function literals inside it are functions of their own.
type function struct {
	cur  inspector.Cursor
	node ast.Node // *ast.FuncDecl or *ast.FuncLit
	typ  *ast.FuncType
	body *ast.BlockStmt

	writes []*write // its writes of process-wide state, in source order
	graph  *graph   // its control-flow graph, built on first use

	// Built on first use by assigned.
	assigns map[*types.Var]int  // assignments of each local variable, its declaration included
	addrOf  map[*types.Var]bool // local variables whose address is taken
	inLoop  map[*types.Var]bool // local variables declared in a loop (its header included)
	// Built on first use by saved.
	savedVars map[*types.Var]key // local variables holding os.Getenv(k) or os.LookupEnv(k)
	okVars    map[*types.Var]key // the ok results of os.LookupEnv(k)
}

func newFunction(cur inspector.Cursor) *function {
	f := &function{cur: cur, node: cur.Node()}
	switch n := cur.Node().(type) {
	case *ast.FuncDecl:
		f.typ, f.body = n.Type, n.Body
	case *ast.FuncLit:
		f.typ, f.body = n.Type, n.Body
	}
	return f
}

// envKey returns the key of the environment variable that e names: a
// constant, or a local variable that keeps its value.
func (f *function) envKey(c *checker, e ast.Expr) key {
	if tv, ok := c.info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return key{kind: kindEnv, name: constant.StringVal(tv.Value)}
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := c.info.Uses[id].(*types.Var); ok && nav.IsLocal(v) && f.stable(c, v) {
			return key{kind: kindEnv, obj: v}
		}
	}
	return key{kind: kindEnv} // unkeyed
}

// saved returns the local variables of f that hold an environment
// variable's earlier value, read by os.Getenv or os.LookupEnv.
func (f *function) saved(c *checker) map[*types.Var]key {
	if f.savedVars != nil {
		return f.savedVars
	}
	f.savedVars = make(map[*types.Var]key)
	f.okVars = make(map[*types.Var]key)
	record := func(lhs []ast.Expr, rhs ast.Expr) {
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if !ok || !envReads.Has(match.Callee(c.info, call)) {
			return // not a read of the environment
		}
		k := f.envKey(c, call.Args[0])
		if !k.keyed() {
			return
		}
		if v := c.localVar(lhs[0]); v != nil {
			f.savedVars[v] = k
		}
		if len(lhs) == 2 {
			if ok := c.localVar(lhs[1]); ok != nil {
				f.okVars[ok] = k
			}
		}
	}
	for cur := range f.cur.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		if lhs, rhs := nav.Assignment(cur.Node()); len(rhs) == 1 {
			record(lhs, rhs[0])
		}
	}
	return f.savedVars
}

// lookupOKs returns the ok results of f's os.LookupEnv(k) calls.
func (f *function) lookupOKs(c *checker, k key) map[*types.Var]bool {
	f.saved(c)
	oks := make(map[*types.Var]bool)
	for v, vk := range f.okVars {
		if vk == k {
			oks[v] = true
		}
	}
	return oks
}

// stable reports whether the local variable v has one value throughout
// f: it is assigned at most once, by its declaration or as a parameter,
// its address is not taken, and it is not declared in a loop, where each
// iteration has its own.
func (f *function) stable(c *checker, v *types.Var) bool {
	f.countAssigns(c)
	return f.assigns[v] <= 1 && !f.addrOf[v] && !f.inLoop[v]
}

func (f *function) countAssigns(c *checker) {
	if f.assigns != nil {
		return
	}
	f.assigns = make(map[*types.Var]int)
	f.addrOf = make(map[*types.Var]bool)
	f.inLoop = make(map[*types.Var]bool)
	for cur := range f.cur.Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		ast.Inspect(cur.Node(), func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := c.info.Defs[id].(*types.Var); ok {
					f.inLoop[v] = true
				}
			}
			return true
		})
	}
	count := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if v, ok := c.info.ObjectOf(id).(*types.Var); ok {
				f.assigns[v]++
			}
		}
	}
	for cur := range f.cur.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.IncDecStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				count(lhs)
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				count(id)
			}
		case *ast.IncDecStmt:
			count(n.X)
		case *ast.RangeStmt:
			if n.Key != nil {
				count(n.Key)
			}
			if n.Value != nil {
				count(n.Value)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if v := nav.VarOf(c.info, n.X); v != nil {
					f.addrOf[v] = true
				}
			}
		}
	}
}

// lastResult returns the type of f's last result, or nil.
func (f *function) lastResult(c *checker) types.Type {
	res := f.typ.Results
	if res == nil || len(res.List) == 0 {
		return nil
	}
	return c.info.TypeOf(res.List[len(res.List)-1].Type)
}
