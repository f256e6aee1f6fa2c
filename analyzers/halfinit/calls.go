package halfinit

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A callGraph holds the static calls of the package's own functions, so
// that the analyzer can tell a function that only init, main before its
// first go statement, or callers holding a lock can run.
type callGraph struct {
	sites   map[*types.Func][]inspector.Cursor // each function's calls (cursors at the CallExpr)
	escapes map[*types.Func]bool               // used as a value: called from anywhere
	quiet   map[*types.Func]bool               // memo of quietFunc; true while being computed
	mainGo  token.Pos                          // the first go statement of main.main, or NoPos
}

// graph builds the call graph on first use: only packages with a
// candidate need it.
func (c *checker) graph() *callGraph {
	if c.calls != nil {
		return c.calls
	}
	g := &callGraph{
		sites:   make(map[*types.Func][]inspector.Cursor),
		escapes: make(map[*types.Func]bool),
		quiet:   make(map[*types.Func]bool),
	}
	for cur := range c.root.Preorder((*ast.Ident)(nil)) {
		fn, ok := c.info.Uses[cur.Node().(*ast.Ident)].(*types.Func)
		if !ok || fn.Pkg() != c.pass.Pkg {
			continue // not a function of this package
		}
		fn = fn.Origin()
		if call, ok := calledAt(cur); ok {
			g.sites[fn] = append(g.sites[fn], call)
		} else {
			g.escapes[fn] = true
		}
	}
	for cur := range c.root.Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		if fd.Recv != nil || fd.Name.Name != "main" || c.pass.Pkg.Name() != "main" || fd.Body == nil {
			continue // not main.main
		}
		for g2 := range cur.Preorder((*ast.GoStmt)(nil)) {
			g.mainGo = g2.Node().Pos()
			break
		}
	}
	c.calls = g
	return g
}

// calledAt returns the call whose function id names — f(), x.f(),
// pkg.f(), f[T]() — or false if id is used as a value.
func calledAt(id inspector.Cursor) (inspector.Cursor, bool) {
	cur := id
	for {
		switch cur.ParentEdgeKind() {
		case edge.SelectorExpr_Sel, edge.IndexExpr_X, edge.IndexListExpr_X, edge.ParenExpr_X:
			cur = cur.Parent()
			continue
		case edge.CallExpr_Fun:
			return cur.Parent(), true
		}
		return inspector.Cursor{}, false
	}
}

// quiet reports whether the code at cur runs only where no other
// goroutine can run it at the same time, as far as the package shows:
// in a function passed to sync.Once (or singleflight), in init or a
// package-level initialiser, in main before its first go statement, under
// a lock, or in a function of the package that only such code calls. When
// unsure it says true: the rules stay silent rather than guess.
func (c *checker) quiet(cur inspector.Cursor) bool {
	for fn, ok := nav.EnclosingFunc(cur); ok; fn, ok = nav.EnclosingFunc(fn.Parent()) {
		if c.lockedAt(fn, cur.Node()) {
			return true // a lock is held here on every path
		}
		switch f := fn.Node().(type) {
		case *ast.FuncLit:
			if c.onceArg(fn) {
				return true // runs once, or once per key
			}
			if !contexts.Synchronous(c.info, fn) {
				return false // may run on any goroutine, later
			}
			cur = fn // its context is the enclosing function's, at the literal
		case *ast.FuncDecl:
			return c.quietDecl(f, cur.Node().Pos())
		}
	}
	return true // package level: variable initialisers run during init
}

// quietDecl reports whether code of fd at pos runs where nothing else can
// run concurrently: fd is init, or main before its first go statement, or
// a function that only quiet code calls.
func (c *checker) quietDecl(fd *ast.FuncDecl, pos token.Pos) bool {
	if fd.Recv == nil && fd.Name.Name == "init" {
		return true
	}
	if fd.Recv == nil && fd.Name.Name == "main" && c.pass.Pkg.Name() == "main" {
		g := c.graph()
		return g.mainGo == token.NoPos || pos < g.mainGo
	}
	fn, ok := c.info.Defs[fd.Name].(*types.Func)
	if !ok {
		return false
	}
	return c.quietFunc(fn)
}

// quietFunc reports whether every call of fn is quiet (see quiet). An
// exported function of a library can be called from anywhere; so can one
// that is used as a value. A function nothing calls is dead code or called
// by reflection or linkname: unsure, so quiet. (An unexported method could
// also be called through an interface of the package that names it; the
// graph does not see those calls.)
func (c *checker) quietFunc(fn *types.Func) bool {
	g := c.graph()
	if q, ok := g.quiet[fn]; ok {
		return q // memoised, or being computed (a cycle of calls adds no caller)
	}
	if fn.Exported() && c.pass.Pkg.Name() != "main" {
		g.quiet[fn] = false
		return false // other packages call it
	}
	if g.escapes[fn] {
		g.quiet[fn] = false
		return false // called through a value
	}
	g.quiet[fn] = true
	for _, site := range g.sites[fn] {
		if !c.quiet(site) {
			g.quiet[fn] = false
			return false
		}
	}
	return true
}

// onceArg reports whether the literal at lit is the function of a Once
// (sync.Once.Do, sync.OnceFunc, OnceValue, OnceValues) or of a
// singleflight call: it runs once, or once at a time per key.
func (c *checker) onceArg(lit inspector.Cursor) bool {
	for lit.ParentEdgeKind() == edge.ParenExpr_X {
		lit = lit.Parent()
	}
	if lit.ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	fn := match.Callee(c.info, lit.Parent().Node().(*ast.CallExpr))
	return match.OnceDo.Has(fn) || match.OnceFuncs.Has(fn) ||
		match.SingleflightDo.Has(fn) || match.SingleflightDoChan.Has(fn)
}
