package fireforget

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A verdict says how a started goroutine is tracked.
type verdict struct {
	waited  bool // something waits for it to end
	bounded bool // it can be told to stop
	// lifetime: it lives as long as the process by design (see
	// singleton and summary.lifetime).
	lifetime bool
}

// classify says whether the goroutine s starts is waited for or bounded.
func (c *checker) classify(s *start) verdict {
	v := verdict{lifetime: s.depth == 0 && c.singleton(s.cur)}
	if s.sig != nil {
		params := s.sig.Params()
		for i := range params.Len() {
			if match.IsContext(params.At(i).Type()) {
				v.bounded = true // it takes a context: cancellation reaches it
			}
		}
	}
	for _, a := range s.args {
		c.classifyArg(a, s, &v)
	}
	if c.pumps(s) {
		v.bounded = true // closing the resource it is handed ends it
	}
	body, ok := c.bodyOf(s)
	if ok {
		c.classifyBody(body, s, &v)
		return v
	}
	// Its body is elsewhere: closing the resource it is called on, or
	// works on, ends it (go srv.Serve(l), go io.Copy(dst, src)), and
	// whoever holds that resource can close it.
	if sel, ok := s.fun.(*ast.SelectorExpr); ok && s.call != nil && !stopMethods[sel.Sel.Name] {
		if tn := c.resourceType(nav.TypeOf(c.info, sel.X)); tn != nil && c.stoppable(tn) {
			v.bounded = true
		}
	}
	for _, a := range s.args {
		if tn := c.resourceType(nav.TypeOf(c.info, a)); tn != nil && c.stoppable(tn) {
			v.bounded = true
		}
	}
	return v
}

// funcArg returns the start of a function passed as an argument to the
// started function, which is likely to run it: go withRecover(p.loop) runs
// p.loop on the goroutine.
func (c *checker) funcArg(s *start, a ast.Expr) *start {
	a = ast.Unparen(a)
	sub := &start{cur: s.cur, node: s.node, fun: a, depth: s.depth + 1}
	sub.lit, _ = a.(*ast.FuncLit)
	sub.fn = c.funcOf(a)
	if t := c.info.TypeOf(a); t != nil {
		sub.sig, _ = t.Underlying().(*types.Signature)
	}
	c.findImpl(sub)
	return sub
}

// classifyArg looks at an argument passed to the started function.
func (c *checker) classifyArg(a ast.Expr, s *start, v *verdict) {
	t := c.info.TypeOf(a)
	if t == nil {
		return // not an expression with a type
	}
	if _, ok := t.Underlying().(*types.Signature); ok && s.depth < 2 {
		sub := c.classify(c.funcArg(s, a))
		v.waited = v.waited || sub.waited
		v.bounded = v.bounded || sub.bounded
		v.lifetime = v.lifetime || sub.lifetime
	}
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok && match.IsNamed(ptr.Elem(), "sync", "WaitGroup") {
		v.waited = true // the started function counts itself done
	}
	if match.IsContext(t) {
		v.bounded = true
	}
	if ch, ok := t.Underlying().(*types.Chan); ok {
		if ch.Dir() != types.RecvOnly && c.chanIndex().observed(a, s.node) {
			v.waited = true // it can report on a channel someone watches
		}
		if ch.Dir() != types.SendOnly && c.chanIndex().stop(a) {
			v.bounded = true // it can be told to stop through it
		}
	}
}

// classifyBody looks at the body of the started function and at the bodies
// of the same-package functions it calls, two calls deep.
func (c *checker) classifyBody(body inspector.Cursor, s *start, v *verdict) {
	top := c.summarize(body)
	for _, ch := range top.sends {
		if a := c.argFor(s, ch); a != nil {
			if c.chanIndex().observed(a, s.node) {
				v.waited = true // sends on a channel the spawner passed and watches
			}
			continue // the parameter stands for the argument
		}
		if c.chanIndex().observed(ch, s.node) {
			v.waited = true
		}
	}
	seen := map[*ast.BlockStmt]bool{body.Node().(*ast.BlockStmt): true}
	level := []*summary{top}
	for depth := 0; depth <= 2 && len(level) > 0; depth++ {
		var next []*summary
		for _, sum := range level {
			v.lifetime = v.lifetime || depth == 0 && sum.lifetime
			v.waited = v.waited || sum.joins
			v.bounded = v.bounded || sum.ctxUse || sum.stopRecv || sum.pollsFlag
			if depth > 0 {
				for _, ch := range sum.sends {
					v.waited = v.waited || c.chanIndex().observed(ch, s.node)
				}
				for _, tn := range sum.touches {
					v.bounded = v.bounded || c.stoppable(tn) // its work is on a resource that can be closed
				}
			}
			for _, fn := range sum.callees {
				b, ok := c.declBody(fn)
				if !ok || seen[b.Node().(*ast.BlockStmt)] {
					continue // no body here, or already looked at
				}
				seen[b.Node().(*ast.BlockStmt)] = true
				next = append(next, c.summarize(b))
			}
		}
		level = next
	}
	for _, tn := range top.resources {
		if c.stoppable(tn) {
			v.bounded = true // closing what it works on ends it, and whoever holds that can
		}
	}
}

// argFor returns the argument the go statement passes for the parameter
// that ch names, if ch is a parameter of the started function.
func (c *checker) argFor(s *start, ch ast.Expr) ast.Expr {
	id, ok := ast.Unparen(ch).(*ast.Ident)
	if !ok || s.args == nil {
		return nil // not a parameter, or nothing passed at the start
	}
	obj := c.info.Uses[id]
	var params []*types.Var
	switch {
	case s.impl != nil:
		for _, f := range s.impl.Type.Params.List {
			for _, name := range f.Names {
				v, _ := c.info.Defs[name].(*types.Var)
				params = append(params, v)
			}
		}
	case s.fn != nil:
		for p := range s.fn.Signature().Params().Variables() {
			params = append(params, p)
		}
	}
	for i, p := range params {
		variadic := s.sig.Variadic() && i == len(params)-1 // its arguments are a slice's elements
		if p != nil && p == obj && i < len(s.args) && !variadic {
			return s.args[i]
		}
	}
	return nil
}

// singleton reports whether the start at cur happens at most once per
// process: in a function passed to (*sync.Once).Do or sync.OnceFunc, or in
// the body of an if statement whose condition wins a CompareAndSwap. Such
// a goroutine is a daemon of the process by design.
func (c *checker) singleton(cur inspector.Cursor) bool {
	pos := cur.Node().Pos()
	for e := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil), (*ast.IfStmt)(nil)) {
		switch n := e.Node().(type) {
		case *ast.IfStmt:
			if n.Body.Pos() <= pos && pos < n.Body.End() && c.swaps(n.Cond) {
				return true
			}
		case *ast.FuncLit:
			if e.ParentEdgeKind() == edge.CallExpr_Args {
				return runsOnce(match.Callee(c.info, e.Parent().Node().(*ast.CallExpr)))
			}
			return false // the innermost function
		case *ast.FuncDecl:
			fn, _ := c.info.Defs[n.Name].(*types.Func)
			return c.once[fn] // once.Do(updateServerDate)
		}
	}
	return false
}

// runsOnce reports whether calling fn runs its function argument at most
// once: (*sync.Once).Do, sync.OnceFunc, sync.OnceValue(s).
func runsOnce(fn *types.Func) bool {
	return match.OnceDo.Has(fn) || match.OnceFuncs.Has(fn)
}

// swaps reports whether cond calls a CompareAndSwap of an atomic package
// (sync/atomic, the runtime's, go.uber.org/atomic, ...).
func (c *checker) swaps(cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			fn := match.Callee(c.info, call)
			found = found || fn != nil && isAtomic(fn.Pkg()) && strings.HasPrefix(fn.Name(), "CompareAndSwap")
		}
		return !found
	})
	return found
}

// isAtomic reports whether pkg is an atomic package: sync/atomic or one
// named after it.
func isAtomic(pkg *types.Package) bool {
	path := match.PkgPath(pkg)
	return path == "sync/atomic" || strings.HasSuffix(path, "/atomic")
}
