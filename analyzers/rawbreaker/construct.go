package rawbreaker

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A construction is an expression that makes a new breaker.
type construction struct {
	cur  inspector.Cursor // of expr, or of the var spec that declares a zero breaker
	expr ast.Node         // the call, composite literal, new(T), or the spec
	what string           // how the message names it
	kind consKind
	lib  *library // nil for the runtime's zero Breaker and hand-rolled types
}

type consKind int

const (
	consLibrary    consKind = iota // a library constructor
	consZero                       // the runtime's zero breaker.Breaker
	consHandrolled                 // a value of a hand-rolled breaker type
)

// constructions reports rules foreign and per-call.
func (c *checker) constructions() {
	self := match.PkgPath(c.pass.Pkg)
	libs := match.Imports(c.pass.Pkg, libraryPaths...)
	if !libs && len(c.known.Types) == 0 {
		return // uses no breaker library, and sees no hand-rolled breaker type
	}
	foreignHere := c.pass.Enabled(ruleForeign) && !isLibraryPkg(self) && !c.isCanonical(self)
	for cur := range c.insp.Root().Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil), (*ast.ValueSpec)(nil)) {
		if !c.pass.Reportable(cur.Node().Pos()) {
			continue // generated or test file: nothing would be shown
		}
		var cons *construction
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			fn := match.Callee(c.pass.TypesInfo, n)
			if lib, ctor := libraryCall(fn); lib != nil {
				if foreignHere && !c.isCanonical(lib.path) {
					c.reportForeign(n, fn, lib, ctor)
				}
				if ctor && (lib.path != failsafeCB || fn.Name() != "NewBuilder") {
					cons = &construction{cur: cur, expr: n, what: qualifiedName(fn), kind: consLibrary, lib: lib}
				}
				break
			}
			if match.IsMethod(fn, failsafeCB, "Builder", "Build") {
				cons = &construction{cur: cur, expr: n, what: "circuitbreaker.Builder.Build", kind: consLibrary, lib: &libraries[6]}
				break
			}
			cons = c.handrolledCall(cur, n, fn)
		case *ast.CompositeLit:
			cons = c.zeroOrHandrolled(cur, n, nav.TypeOf(c.pass.TypesInfo, n))
		case *ast.ValueSpec:
			if len(n.Values) == 0 && n.Type != nil && len(n.Names) == 1 {
				cons = c.zeroOrHandrolled(cur, n, nav.TypeOf(c.pass.TypesInfo, n.Type))
			}
		}
		if cons != nil && c.pass.Enabled(rulePerCall) {
			c.perCall(cons)
		}
	}
	c.reportPerCall()
}

func qualifiedName(fn *types.Func) string {
	if recv := match.Receiver(fn); recv != nil {
		return fn.Pkg().Name() + "." + recv.Obj().Name() + "." + fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

func (c *checker) reportForeign(call *ast.CallExpr, fn *types.Func, lib *library, ctor bool) {
	verb := "makes a circuit breaker"
	if !ctor {
		verb = "uses a circuit breaker"
	}
	c.pass.Report(ruleForeign, analysis.Diagnostic{
		Pos: call.Fun.Pos(), End: call.Fun.End(),
		Message: fmt.Sprintf("%s %s of %s, not of the canonical breaker package: breakers of different libraries share no state and count failures differently; %s",
			qualifiedName(fn), verb, lib.path, c.useCanonical()),
	})
}

// handrolledCall returns the construction of a hand-rolled breaker by
// new(T) or by a constructor: a package-level function named New… or
// new… whose first result is T or *T.
func (c *checker) handrolledCall(cur inspector.Cursor, call *ast.CallExpr, fn *types.Func) *construction {
	info := c.pass.TypesInfo
	if nav.IsBuiltin(info, call, "new") && len(call.Args) == 1 {
		return c.zeroOrHandrolled(cur, call, nav.TypeOf(info, call))
	}
	if fn == nil || fn.Signature().Recv() != nil || !strings.HasPrefix(strings.ToLower(fn.Name()), "new") {
		return nil // not a constructor by Go's convention
	}
	res := fn.Signature().Results()
	if res.Len() == 0 || res.Len() > 2 {
		return nil // not T or (T, error)
	}
	if named := namedOf(res.At(0).Type()); named != nil && c.known.has(named) {
		return &construction{cur: cur, expr: call, what: qualifiedName(fn), kind: consHandrolled}
	}
	return nil
}

// zeroOrHandrolled returns the construction of a value of type t, if t is
// the runtime's Breaker or a hand-rolled breaker type (or a pointer to
// one).
func (c *checker) zeroOrHandrolled(cur inspector.Cursor, n ast.Node, t types.Type) *construction {
	named := namedOf(t)
	switch {
	case named == nil:
		return nil // not a named type
	case match.IsNamed(named, breakerPath, "Breaker"):
		return &construction{cur: cur, expr: n, what: "a zero breaker.Breaker", kind: consZero}
	case c.known.has(named):
		return &construction{cur: cur, expr: n, what: "a " + named.Obj().Name(), kind: consHandrolled}
	}
	return nil
}

// namedOf returns T for a type T or *T, named.
func namedOf(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	named, _ := types.Unalias(t).(*types.Named)
	return named
}

// A holding is where a construction's breaker lives: a local variable of
// the function, or nowhere (a method called on the construction itself).
type holding struct {
	fn    inspector.Cursor // the enclosing function
	v     *types.Var       // nil for a direct method call
	def   ast.Node         // the statement or spec that stores it in v
	refs  []*ast.Ident     // every use of v, the definition excluded
	first ast.Node         // the first use, for Related
}

// perCall reports a construction whose breaker serves only the call of
// the function that makes it: it is held by a local variable that nothing
// else keeps — not returned, stored, passed on (but to the runtime's or
// failsafe-go's functions that run a call through it) nor captured by a
// function literal — and every loop around its uses makes it anew.
func (c *checker) perCall(cons *construction) {
	h, ok := c.hold(cons)
	if !ok {
		return // kept beyond the call, or used across loop iterations
	}
	c.pending = append(c.pending, pendingPerCall{cons, h})
}

// A pendingPerCall is a per-call finding whose fix waits for the names of
// all the package's fixes.
type pendingPerCall struct {
	cons *construction
	h    *holding
}

// reportPerCall reports the per-call findings, each with a fix whose
// registry name no other finding of the package would use.
func (c *checker) reportPerCall() {
	names := make(map[string]int)
	for _, p := range c.pending {
		names[c.registryName(p.cons, p.h)]++
	}
	for _, p := range c.pending {
		cons, h := p.cons, p.h
		msg := fmt.Sprintf("circuit breaker made by %s serves only this call: its counts start from zero each time, so it never opens; keep one per dependency with breaker.Get(name, settings)", cons.what)
		d := analysis.Diagnostic{Pos: cons.expr.Pos(), End: constructionEnd(cons.expr), Message: msg}
		if h.first != nil && h.first != cons.expr {
			d.Related = []analysis.RelatedInformation{{Pos: h.first.Pos(), End: h.first.End(), Message: "used here"}}
		}
		if name := c.registryName(cons, h); name != "" && names[name] == 1 {
			if f, ok := c.perCallFix(cons, h, name); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{f}
			}
		}
		c.pass.Report(rulePerCall, d)
	}
}

// constructionEnd ends the highlight at the constructor's name: the
// settings can span many lines.
func constructionEnd(n ast.Node) token.Pos {
	switch n := n.(type) {
	case *ast.CallExpr:
		return n.Lparen
	case *ast.CompositeLit:
		return n.Lbrace
	}
	return n.End()
}

// hold returns where the construction's breaker lives, and false if it is
// kept beyond the function's call or used in a loop that does not make it.
func (c *checker) hold(cons *construction) (*holding, bool) {
	info := c.pass.TypesInfo
	fcur, ok := nav.EnclosingFunc(cons.cur)
	if !ok {
		return nil, false // a package-level variable: one breaker for the program
	}
	h := &holding{fn: fcur}
	cur := cons.cur
	if _, ok := cons.expr.(*ast.ValueSpec); ok {
		spec := cons.expr.(*ast.ValueSpec)
		h.v, _ = info.Defs[spec.Names[0]].(*types.Var)
		h.def = spec
	} else {
		for {
			p := cur.Parent()
			if _, ok := p.Node().(*ast.ParenExpr); ok {
				cur = p
				continue // (x) is x
			}
			if u, ok := p.Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
				cur = p
				continue // &T{} holds the same breaker
			}
			break
		}
		p := cur.Parent()
		switch parent := p.Node().(type) {
		case *ast.AssignStmt:
			i := indexOf(parent.Rhs, cur.Node())
			if i < 0 || (len(parent.Lhs) != len(parent.Rhs) && (len(parent.Rhs) != 1 || i != 0)) {
				return nil, false
			}
			if len(parent.Lhs) != len(parent.Rhs) {
				i = 0 // v, err := NewBreaker(…)
			}
			id, ok := parent.Lhs[i].(*ast.Ident)
			if !ok {
				return nil, false // stored in a field, map or slice
			}
			h.v = nav.VarOf(info, id)
			if h.v == nil {
				h.v, _ = info.Defs[id].(*types.Var)
			}
			h.def = parent
		case *ast.ValueSpec:
			i := indexOf(parent.Values, cur.Node())
			if i < 0 || len(parent.Names) <= i {
				return nil, false
			}
			h.v, _ = info.Defs[parent.Names[i]].(*types.Var)
			h.def = parent
		case *ast.SelectorExpr:
			if call, ok := p.Parent().Node().(*ast.CallExpr); ok && call.Fun == parent {
				h.first = parent
				return h, true // used once, where it is made
			}
			return nil, false
		default:
			return nil, false // returned, passed or stored: kept beyond the call
		}
	}
	if h.v == nil || !nav.IsLocal(h.v) || !nav.Within(h.v.Pos(), fcur.Node()) {
		return nil, false // a variable of an outer function or of the package
	}
	for n := range fcur.Preorder((*ast.BranchStmt)(nil)) {
		if n.Node().(*ast.BranchStmt).Tok == token.GOTO {
			return nil, false // control flow we do not follow
		}
	}
	for u := range fcur.Preorder((*ast.Ident)(nil)) {
		id := u.Node().(*ast.Ident)
		if info.Uses[id] != h.v {
			continue // another name
		}
		if f, _ := nav.EnclosingFunc(u); f != fcur {
			return nil, false // captured by a function literal: may outlive the call
		}
		if !c.localUse(u, h) {
			return nil, false // escapes
		}
		if c.inLoopWithout(u, cons.expr.Pos()) {
			return nil, false // used again on every iteration of a loop: its state accumulates
		}
		h.refs = append(h.refs, id)
		if h.first == nil {
			h.first = u.Parent().Node()
		}
	}
	return h, len(h.refs) > 0
}

// localUse reports whether the use u of the breaker's variable keeps it
// within the call: a method call or field access on it, its definition, or
// an argument of a function that only runs one call through it.
func (c *checker) localUse(u inspector.Cursor, h *holding) bool {
	info := c.pass.TypesInfo
	id := u.Node().(*ast.Ident)
	p := u.Parent()
	switch parent := p.Node().(type) {
	case *ast.SelectorExpr:
		if parent.X != id {
			return false
		}
		if sel, ok := info.Selections[parent]; ok && sel.Kind() == types.FieldVal {
			return true // reads a field
		}
		call, ok := p.Parent().Node().(*ast.CallExpr)
		return ok && call.Fun == parent // a method call, not a method value
	case *ast.AssignStmt:
		return parent == h.def // its definition
	case *ast.UnaryExpr:
		if parent.Op != token.AND {
			return false
		}
		if call, ok := p.Parent().Node().(*ast.CallExpr); ok {
			return c.runsThrough(call, parent)
		}
	case *ast.CallExpr:
		return c.runsThrough(parent, id)
	}
	return false
}

// runsThrough reports whether call runs one call through the breaker arg:
// the runtime's breaker.Execute, or failsafe-go's executors.
func (c *checker) runsThrough(call *ast.CallExpr, arg ast.Expr) bool {
	fn := match.Callee(c.pass.TypesInfo, call)
	if match.IsFunc(fn, breakerPath, "Execute") {
		return len(call.Args) == 3 && call.Args[1] == arg
	}
	return fn != nil && fn.Pkg() != nil && match.PkgPath(fn.Pkg()) == failsafePath && indexOf(call.Args, arg) >= 0
}

// inLoopWithout reports whether a loop of the enclosing function around u
// does not also hold pos, the construction.
func (c *checker) inLoopWithout(u inspector.Cursor, pos token.Pos) bool {
	for l := range u.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch l.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return false // the function's own body
		}
		if !nav.Within(pos, l.Node()) {
			return true
		}
	}
	return false
}

func indexOf[E ast.Node](list []E, n ast.Node) int {
	for i, e := range list {
		if ast.Node(e) == n {
			return i
		}
	}
	return -1
}
