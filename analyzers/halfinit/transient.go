package halfinit

import (
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"github.com/resilvet/resilvet/internal/match"
)

// A funcFact says what a function's body shows, for the packages that
// call it. It is computed from syntax and types alone (the cheap-facts
// rule): the return statements, and what the returned variables are
// assigned.
type funcFact struct {
	// Transient: the error it returns can come from I/O, the network or a
	// context — a failure that a later attempt may not have.
	Transient bool
	// NonNil: whenever its error result (if any) is the literal nil, its
	// first result is a new value that cannot be nil: &T{…}, new(T),
	// make(…), a literal, or the result of another such function.
	NonNil bool
}

func (*funcFact) AFact() {}

func (f *funcFact) String() string {
	switch {
	case f.Transient && f.NonNil:
		return "transient, non-nil"
	case f.Transient:
		return "transient"
	}
	return "non-nil"
}

// A summary is what the facts of one function are computed from.
type summary struct {
	fn      *types.Func
	errs    []source                // the error each return gives
	firsts  []source                // the first result of each return whose error is nil
	assigns map[*types.Var][]source // what each local variable is assigned
	hasErr  bool                    // the last result is an error
	wantNN  bool                    // the first result can be nil
}

// A source is a value the function returns or assigns: expression e, or
// result index of e, a multi-value call (v, err := f(); return f()), or
// the named result v of a bare return.
type source struct {
	e     ast.Expr
	index int // -1: e itself
	v     *types.Var
}

// findFacts computes the facts of the package's functions, iterating to
// a fixed point over calls between them, and exports the true ones.
func (c *checker) findFacts() {
	c.facts = make(map[*types.Func]funcFact)
	c.decls = make(map[*types.Func]*ast.FuncDecl)
	var sums []*summary
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			fn, ok := c.info.Defs[fd.Name].(*types.Func)
			if !ok || fd.Body == nil {
				continue // no body: assembly or linkname
			}
			c.decls[fn] = fd
			if s := c.summarise(fn, fn.Signature(), fd.Body); s != nil {
				sums = append(sums, s)
			}
		}
	}
	std := c.inGOROOT() // judged by the table, not by facts
	// Both facts grow from false: a constructor that calls itself is
	// missed, which costs a fix, never a false report.
	for changed := true; changed; {
		changed = false
		for _, s := range sums {
			f := c.facts[s.fn]
			next := funcFact{
				Transient: f.Transient || s.hasErr && !std && slices.ContainsFunc(s.errs, func(src source) bool { return c.transientSource(s, src, 0) }),
				NonNil:    f.NonNil || s.wantNN && len(s.firsts) > 0 && !slices.ContainsFunc(s.firsts, func(src source) bool { return !c.nonNilSource(s, src, 0) }),
			}
			if next != f {
				c.facts[s.fn], changed = next, true
			}
		}
	}
	for fn, f := range c.facts {
		if f.Transient || f.NonNil {
			c.pass.ExportObjectFact(fn, &f)
		}
	}
}

// summarise collects the returns and local assignments of a function fn
// (nil for a literal) whose facts could be true, or returns nil.
func (c *checker) summarise(fn *types.Func, sig *types.Signature, body *ast.BlockStmt) *summary {
	res := sig.Results()
	s := &summary{fn: fn, assigns: make(map[*types.Var][]source)}
	s.hasErr = res.Len() > 0 && match.IsError(res.At(res.Len()-1).Type())
	s.wantNN = res.Len() > 0 && nilable(res.At(0).Type())
	if !s.hasErr && !s.wantNN {
		return nil // neither fact can hold
	}
	named := res.Len() > 0 && res.At(0).Name() != ""
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.AssignStmt:
			c.noteAssign(s, n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			c.noteSpec(s, n)
		case *ast.ReturnStmt:
			c.noteReturn(s, n, res, named)
		}
		return true
	})
	return s
}

// locals returns a summary of body holding only what its locals are
// assigned, for nonNilSource.
func (c *checker) locals(body *ast.BlockStmt) *summary {
	s := &summary{assigns: make(map[*types.Var][]source)}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			c.noteAssign(s, n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			c.noteSpec(s, n)
		}
		return true
	})
	return s
}

func (c *checker) noteSpec(s *summary, n *ast.ValueSpec) {
	lhs := make([]ast.Expr, len(n.Names))
	for i, id := range n.Names {
		lhs[i] = id
	}
	c.noteAssign(s, lhs, n.Values)
}

func (c *checker) noteAssign(s *summary, lhs, rhs []ast.Expr) {
	for i, l := range lhs {
		id, ok := ast.Unparen(l).(*ast.Ident)
		if !ok {
			continue // a field or element: not a local
		}
		v, ok := c.info.ObjectOf(id).(*types.Var)
		if !ok || packageLevel(v) {
			continue // not a local variable
		}
		switch {
		case len(lhs) == len(rhs):
			s.assigns[v] = append(s.assigns[v], source{e: rhs[i], index: -1})
		case len(rhs) == 1:
			s.assigns[v] = append(s.assigns[v], source{e: rhs[0], index: i})
		}
	}
}

func (c *checker) noteReturn(s *summary, ret *ast.ReturnStmt, res *types.Tuple, named bool) {
	var first, errSrc source
	switch n := len(ret.Results); {
	case n == 0 && named:
		first, errSrc = source{v: res.At(0)}, source{v: res.At(res.Len() - 1)}
	case n == res.Len():
		first, errSrc = source{e: ret.Results[0], index: -1}, source{e: ret.Results[n-1], index: -1}
	case n == 1: // return f()
		first, errSrc = source{e: ret.Results[0], index: 0}, source{e: ret.Results[0], index: res.Len() - 1}
	default:
		return // no results
	}
	if s.hasErr {
		s.errs = append(s.errs, errSrc)
	}
	if s.wantNN && (!s.hasErr || res.Len() == 1 || c.isNil(errSrc)) {
		s.firsts = append(s.firsts, first) // the value it returns with a nil error
	}
}

// isNil reports whether src is the literal nil.
func (c *checker) isNil(src source) bool {
	if src.e == nil || src.index >= 0 {
		return false
	}
	tv, ok := c.info.Types[src.e]
	return ok && tv.IsNil()
}

const maxDepth = 8 // through local variables assigned from one another

// transientSource reports whether the error src can come from a transient
// failure: a transient call, a local assigned one, or an error wrapping
// one (fmt.Errorf, errors.Join).
func (c *checker) transientSource(s *summary, src source, depth int) bool {
	return c.transientOrigin(s, src, depth) != nil
}

// transientOrigin returns the transient call that the error src can come
// from, or nil.
func (c *checker) transientOrigin(s *summary, src source, depth int) *ast.CallExpr {
	if depth > maxDepth {
		return nil
	}
	if src.v != nil {
		return c.transientVar(s, src.v, depth)
	}
	call, ok := ast.Unparen(src.e).(*ast.CallExpr)
	if src.index >= 0 {
		if ok && c.transientCall(call) {
			return call
		}
		return nil
	}
	switch e := ast.Unparen(src.e).(type) {
	case *ast.CallExpr:
		if c.transientCall(e) {
			return e
		}
		if fn := match.Callee(c.info, e); match.IsFunc(fn, "fmt", "Errorf") || match.IsFunc(fn, "errors", "Join") {
			for _, a := range e.Args {
				if o := c.transientOrigin(s, source{e: a, index: -1}, depth+1); o != nil {
					return o
				}
			}
		}
	case *ast.Ident:
		if v, ok := c.info.Uses[e].(*types.Var); ok {
			return c.transientVar(s, v, depth)
		}
	}
	return nil
}

func (c *checker) transientVar(s *summary, v *types.Var, depth int) *ast.CallExpr {
	for _, a := range s.assigns[v] {
		if o := c.transientOrigin(s, a, depth+1); o != nil {
			return o
		}
	}
	return nil
}

// nonNilSource reports whether src is a value that cannot be nil.
func (c *checker) nonNilSource(s *summary, src source, depth int) bool {
	if depth > maxDepth {
		return false
	}
	local := func(v *types.Var) bool {
		as := s.assigns[v]
		return len(as) > 0 && !slices.ContainsFunc(as, func(a source) bool { return !c.nonNilSource(s, a, depth+1) })
	}
	if src.v != nil {
		return local(src.v)
	}
	if src.index >= 0 {
		call, ok := ast.Unparen(src.e).(*ast.CallExpr)
		return ok && src.index == 0 && c.nonNilCall(call)
	}
	return c.nonNil(src.e, local)
}

// nonNil reports whether e cannot be nil; local says it of a local
// variable.
func (c *checker) nonNil(e ast.Expr, local func(*types.Var) bool) bool {
	e = ast.Unparen(e)
	if tv, ok := c.info.Types[e]; !ok || tv.IsNil() {
		return false
	}
	if t := c.info.TypeOf(e); t != nil && !nilable(t) {
		return true // a struct, a number, a string: never nil, even in an interface
	}
	switch e := e.(type) {
	case *ast.UnaryExpr:
		return e.Op == token.AND // &T{…}, &x
	case *ast.CompositeLit, *ast.FuncLit:
		return true
	case *ast.CallExpr:
		return c.nonNilCall(e)
	case *ast.Ident:
		if v, ok := c.info.Uses[e].(*types.Var); ok && local != nil && !packageLevel(v) {
			return local(v)
		}
	}
	return false
}

// nonNilCall reports whether call returns a first result that is never
// nil (when its error is nil): new, make, or a NonNil function.
func (c *checker) nonNilCall(call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := c.info.Uses[id].(*types.Builtin); ok {
			return b.Name() == "new" || b.Name() == "make"
		}
	}
	fn := match.Callee(c.info, call)
	return fn != nil && c.fact(fn).NonNil
}

// fact returns the facts of fn: computed so far for this package's
// functions, imported for others'.
func (c *checker) fact(fn *types.Func) funcFact {
	if fn.Pkg() == c.pass.Pkg {
		return c.facts[fn]
	}
	var f funcFact
	c.pass.ImportObjectFact(fn, &f)
	return f
}

// transientCall reports whether call returns an error that can come from
// a transient failure: the callee is one of the standard library's network
// and database calls, or a context's Err; or it has the Transient fact; or
// it takes a context.Context and we cannot see its body (the standard
// library's, an interface's method), so that cancellation is its likely
// failure. A function of ours that takes a ctx is judged by its body: one
// that runs a program with it fails as the program does.
func (c *checker) transientCall(call *ast.CallExpr) bool {
	fn := match.Callee(c.info, call)
	if fn == nil {
		return false // a func value: unknown
	}
	sig := fn.Signature()
	res := sig.Results()
	if res.Len() == 0 || !match.IsError(res.At(res.Len()-1).Type()) {
		return false // returns no error
	}
	if transientAPIs.Has(fn) || c.fact(fn).Transient {
		return true
	}
	return hasCtxParam(sig) && (c.stdPkg(fn.Pkg()) || isInterfaceMethod(fn))
}

// stdPkg reports whether pkg, not the pass's own, is of the standard
// library by its path: no dot in its first element.
func (c *checker) stdPkg(pkg *types.Package) bool {
	if pkg == nil || pkg == c.pass.Pkg {
		return false
	}
	first, _, _ := strings.Cut(match.PkgPath(pkg), "/")
	return !strings.Contains(first, ".")
}

func isInterfaceMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// inGOROOT reports whether the pass's package is of the standard library
// (or cmd): its files are under GOROOT/src.
func (c *checker) inGOROOT() bool {
	if len(c.pass.Files) == 0 || build.Default.GOROOT == "" {
		return false
	}
	name := c.pass.Fset.File(c.pass.Files[0].FileStart).Name()
	return strings.HasPrefix(filepath.ToSlash(name), filepath.ToSlash(filepath.Join(build.Default.GOROOT, "src"))+"/")
}

func hasCtxParam(sig *types.Signature) bool {
	for v := range sig.Params().Variables() {
		if match.IsContext(v.Type()) {
			return true
		}
	}
	return false
}

// nilable reports whether t's values can be nil.
func nilable(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Slice, *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Basic:
		return t.Underlying().(*types.Basic).Kind() == types.UnsafePointer
	}
	return false
}
