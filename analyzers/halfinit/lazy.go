package halfinit

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// Diagnostic messages; doc.go quotes them.
const (
	msgRacy       = "lazy initialisation of %s is not synchronised: concurrent callers race on it and may each build their own; %s"
	msgDCL        = "%s is read outside the lock that guards its initialisation: the read races with the write and can see a half-made value; %s"
	msgHalfMade   = "%s is published before its initialisation finishes: if %s fails, every later caller gets the half-made value"
	adviceOnce    = "use sync.OnceValue"
	adviceLazy    = "use singleton.Lazy"
	adviceGeneric = "use sync.Once, a mutex or singleton.Lazy"
)

// checkLazy reports the lazy initialisation li if nothing serialises it,
// and the half-made publications and double-checked locking around it.
func (c *checker) checkLazy(li *lazyInit) {
	if c.atomicBefore(li.fn, li.ifs.Pos()) {
		return // an atomic operation comes first: a hand-made guard we cannot judge
	}
	condLocked := c.lockedAt(li.fn, li.ifs.Cond)
	writeLocked := condLocked || c.lockedAt(li.fn, li.assign())
	switch {
	case !condLocked && writeLocked && c.recheck(li):
		c.reportDCL(li, li.read)
	case !condLocked:
		// Unlocked, or if x == nil { mu.Lock(); x = …; mu.Unlock() }: two
		// callers can both see nil and both build.
		if c.singleton(li) && !c.quiet(li.ifc) {
			c.reportRacy(li)
		}
	default:
		if read := c.fastPath(li); read != nil {
			c.reportDCL(li, read)
		}
	}
	if c.pass.Enabled(ruleEarlyPublish) {
		c.checkHalfMade(li.write, li.ref, li.ifs.Body)
	}
}

// singleton reports whether li makes a singleton rather than settling
// state that something else fills: the value is constructed (a call, a
// literal), not copied from a parameter or a constant (a default or the
// first caller's argument); the state's address is never taken (flag
// destinations, decode targets); and li's function writes no other shared
// state without a lock (registration, init-time set-up, which is single
// threaded by design or racy beyond its lazy initialisation).
func (c *checker) singleton(li *lazyInit) bool {
	as := li.assign()
	var rhs ast.Expr
	for i, l := range as.Lhs {
		if c.isRef(l, li.ref) {
			if len(as.Rhs) == len(as.Lhs) {
				rhs = as.Rhs[i]
			} else {
				rhs = as.Rhs[0]
			}
		}
	}
	if rhs == nil || !c.constructs(rhs) && !c.constructedLocal(li, rhs) {
		return false
	}
	if c.addressTaken()[li.ref.root] {
		return false
	}
	return !c.writesElsewhere(li)
}

// constructs reports whether e makes a value: it holds a call (not a
// conversion), a composite literal or a function literal.
func (c *checker) constructs(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit, *ast.FuncLit:
			found = true
		case *ast.CallExpr:
			if tv, ok := c.info.Types[n.Fun]; !ok || !tv.IsType() {
				found = true
			}
		}
		return !found
	})
	return found
}

// constructedLocal reports whether e is a local of li's function that is
// assigned a constructed value: conn = c after c, err := dial().
func (c *checker) constructedLocal(li *lazyInit, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.info.Uses[id].(*types.Var)
	if !ok || packageLevel(v) {
		return false
	}
	body, ok := funcBody(li.fn)
	if !ok {
		return false
	}
	for _, src := range c.locals(body.Node().(*ast.BlockStmt)).assigns[v] {
		if c.constructs(src.e) {
			return true
		}
	}
	return false
}

// addressTaken returns the package-level variables whose address, or a
// field's, the package takes.
func (c *checker) addressTaken() map[*types.Var]bool {
	if c.addrs != nil {
		return c.addrs
	}
	c.addrs = make(map[*types.Var]bool)
	for cur := range c.root.Preorder((*ast.UnaryExpr)(nil)) {
		u := cur.Node().(*ast.UnaryExpr)
		if u.Op != token.AND {
			continue
		}
		if r, ok := c.refOf(u.X); ok {
			c.addrs[r.root] = true
		}
	}
	return c.addrs
}

// writesElsewhere reports whether li's function, outside li, writes
// shared state without holding a lock: x = …, x.f = …, m[k] = …, x++,
// delete(m, k).
func (c *checker) writesElsewhere(li *lazyInit) bool {
	body, ok := funcBody(li.fn)
	if !ok {
		return false
	}
	found := false
	body.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.IfStmt)(nil), (*ast.AssignStmt)(nil), (*ast.IncDecStmt)(nil), (*ast.CallExpr)(nil)}, func(cur inspector.Cursor) bool {
		if found {
			return false
		}
		var targets []ast.Expr
		switch n := cur.Node().(type) {
		case *ast.FuncLit:
			return false // runs elsewhere
		case *ast.IfStmt:
			return n != li.ifs
		case *ast.AssignStmt:
			targets = n.Lhs
		case *ast.IncDecStmt:
			targets = []ast.Expr{n.X}
		case *ast.CallExpr:
			if nav.IsBuiltin(c.info, n, "delete") && len(n.Args) > 0 {
				targets = n.Args[:1]
			}
		}
		for _, t := range targets {
			if c.shared(t) && !c.lockedAt(li.fn, cur.Node()) {
				found = true
			}
		}
		return !found
	})
	return found
}

// shared reports whether e is shared state or a part of it: x, x.f, x[k],
// *x for a package-level x.
func (c *checker) shared(e ast.Expr) bool {
	for {
		if _, ok := c.refOf(e); ok {
			return true
		}
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
	}
}

func (c *checker) reportRacy(li *lazyInit) {
	if !c.pass.Enabled(ruleRacyLazy) {
		return
	}
	fixes, advice := c.lazyFix(li)
	d := analysis.Diagnostic{
		Pos:            li.read.Pos(),
		End:            li.read.End(),
		Message:        fmt.Sprintf(msgRacy, li.ref.name(), advice),
		Related:        []analysis.RelatedInformation{{Pos: li.write.Node().Pos(), End: li.write.Node().End(), Message: "assigned here"}},
		SuggestedFixes: fixes,
	}
	c.pass.Report(ruleRacyLazy, d)
}

// reportDCL reports read, a plain read of li's state outside the lock
// under which li initialises it.
func (c *checker) reportDCL(li *lazyInit, read ast.Expr) {
	if !c.pass.Enabled(ruleEarlyPublish) {
		return
	}
	advice := adviceOnce
	if c.fallibleGetter(li) {
		advice = adviceLazy
	}
	c.pass.Report(ruleEarlyPublish, analysis.Diagnostic{
		Pos:     read.Pos(),
		End:     read.End(),
		Message: fmt.Sprintf(msgDCL, li.ref.name(), advice),
		Related: []analysis.RelatedInformation{{Pos: li.write.Node().Pos(), End: li.write.Node().End(), Message: "assigned here, under the lock"}},
	})
}

// recheck reports whether li's body tests its state again, under a lock,
// before the write: the inner check of double-checked locking.
func (c *checker) recheck(li *lazyInit) bool {
	found := false
	bodyCur := li.ifc.ChildAt(edge.IfStmt_Body, -1)
	for cur := range bodyCur.Preorder((*ast.IfStmt)(nil)) {
		ifs := cur.Node().(*ast.IfStmt)
		if r, _, _, ok := c.zeroTest(ifs.Cond); ok && r == li.ref && ifs.Pos() < li.write.Node().Pos() && c.lockedAt(li.fn, ifs.Cond) {
			found = true
			break
		}
	}
	return found
}

// fastPath returns a plain read of li's state that li's function makes
// before it takes the lock under which li tests and initialises it —
// `if x != nil { return x }` ahead of `mu.Lock(); if x == nil { x = … }`
// — or nil. The outer test of the nested form is li's enclosing lazy
// initialisation, reported there.
func (c *checker) fastPath(li *lazyInit) ast.Expr {
	var read ast.Expr
	bodyCur, ok := funcBody(li.fn)
	if !ok {
		return nil
	}
	bodyCur.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.IfStmt)(nil)}, func(cur inspector.Cursor) bool {
		ifs, ok := cur.Node().(*ast.IfStmt)
		if !ok || read != nil || ifs.Pos() >= li.ifs.Pos() {
			return false // a literal, found already, or not before li
		}
		if nav := cur.Contains(li.ifc); nav {
			return true // li's enclosing if: reported as li's outer test
		}
		if r, e, ok := c.nilTest(ifs.Cond); ok && r == li.ref && !c.lockedAt(li.fn, ifs.Cond) {
			read = e
		}
		return read == nil
	})
	return read
}

// nilTest returns the shared state that cond compares with nil or its zero
// value, with == or !=.
func (c *checker) nilTest(cond ast.Expr) (ref, ast.Expr, bool) {
	if r, read, _, ok := c.zeroTest(cond); ok {
		return r, read, true
	}
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || bin.Op != token.NEQ {
		return ref{}, nil, false
	}
	eq := *bin
	eq.Op = token.EQL
	r, read, _, ok := c.zeroTest(&eq)
	return r, read, ok
}

func funcBody(fn inspector.Cursor) (inspector.Cursor, bool) {
	switch fn.Node().(type) {
	case *ast.FuncDecl:
		b := fn.ChildAt(edge.FuncDecl_Body, -1)
		return b, b.Node() != nil
	case *ast.FuncLit:
		return fn.ChildAt(edge.FuncLit_Body, -1), true
	}
	return inspector.Cursor{}, false
}

// atomicBefore reports whether fn calls into sync/atomic before pos: a
// hand-made guard (a flag, a CAS spin lock) whose effect the analyzer
// does not model.
func (c *checker) atomicBefore(fn inspector.Cursor, pos token.Pos) bool {
	found := false
	fn.Inspect([]ast.Node{(*ast.CallExpr)(nil)}, func(cur inspector.Cursor) bool {
		call := cur.Node().(*ast.CallExpr)
		if found || call.Pos() >= pos {
			return false
		}
		if f := match.Callee(c.info, call); f != nil && match.PkgPath(f.Pkg()) == "sync/atomic" {
			found = true
		}
		return !found
	})
	return found
}

// checkHalfMade reports the assignment at write, of a new value to shared
// state r within block, when a later statement of its block goes on
// initialising the value and can fail and leave: the half-made value
// stays published for every later caller.
func (c *checker) checkHalfMade(write inspector.Cursor, r ref, scope *ast.BlockStmt) {
	block, ok := write.Parent().Node().(*ast.BlockStmt)
	if !ok {
		return // not a statement of a block
	}
	as := write.Node().(*ast.AssignStmt)
	var step ast.Node
	for _, s := range block.List {
		if s.Pos() > as.Pos() {
			if step = c.initStep(s, r); step != nil {
				break
			}
		}
	}
	if step == nil {
		return // nothing initialises it after publication
	}
	// A return under a condition after the step is the way out when the
	// initialisation fails: if err := x.load(); err != nil { return err }.
	var exit *ast.ReturnStmt
	ast.Inspect(scope, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if n.Body.Pos() > step.Pos() {
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if ret, ok := m.(*ast.ReturnStmt); ok && exit == nil {
						exit = ret
					}
					_, lit := m.(*ast.FuncLit)
					return exit == nil && !lit
				})
			}
		}
		return exit == nil
	})
	if exit == nil {
		return // the initialisation runs to its end
	}
	c.pass.Report(ruleEarlyPublish, analysis.Diagnostic{
		Pos:     as.Pos(),
		End:     as.End(),
		Message: fmt.Sprintf(msgHalfMade, r.name(), types.ExprString(stepName(step))),
		Related: []analysis.RelatedInformation{
			{Pos: step.Pos(), End: step.End(), Message: "initialisation goes on here"},
			{Pos: exit.Pos(), End: exit.End(), Message: "and can stop here, leaving it published"},
		},
	})
}

// initStep returns the part of statement s that goes on initialising the
// value of r: a method call on it, a call it is passed to, or an
// assignment to one of its fields or elements.
func (c *checker) initStep(s ast.Stmt, r ref) ast.Node {
	var step ast.Node
	ast.Inspect(s, func(n ast.Node) bool {
		if step != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && c.info.Selections[sel] != nil && c.info.Selections[sel].Kind() == types.MethodVal {
				if rr, ok := c.refOf(sel.X); ok && rr == r {
					step = n
					return false
				}
			}
			for _, a := range n.Args {
				if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
					a = u.X
				}
				if rr, ok := c.refOf(a); ok && rr == r {
					step = n
					return false
				}
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if c.rootedAt(l, r) {
					step = n
					return false
				}
			}
		}
		return true
	})
	return step
}

// rootedAt reports whether e is a field or element of r's value: r.f,
// r[k], r.f[k].g.
func (c *checker) rootedAt(e ast.Expr, r ref) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
		if rr, ok := c.refOf(e); ok && rr == r {
			return true
		}
	}
}

// stepName is what a message calls an initialisation step: the called
// function, or the assigned expression.
func stepName(n ast.Node) ast.Expr {
	switch n := n.(type) {
	case *ast.CallExpr:
		return n.Fun
	case *ast.AssignStmt:
		return n.Lhs[0]
	}
	panic("halfinit: an initialisation step that is neither a call nor an assignment")
}
