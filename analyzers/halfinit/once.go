package halfinit

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// Diagnostic messages; doc.go quotes them.
const (
	msgStored    = "%s keeps the error of %s for ever: after one failure every later caller gets it, and %s is never called again; use singleton.Lazy"
	msgDropped   = "the error of %s is dropped in the function run by %s: if it fails, %s stays unset for ever and %s is never called again; use singleton.Lazy"
	msgFirstOnly = "the error of %s reaches only the first caller of %s: if it fails, later callers get no error, and %s is never called again; use singleton.Lazy"
	msgValues    = "sync.OnceValues keeps the first error of %s for ever: a transient failure (I/O, network, a cancelled context) is never retried; use singleton.Lazy"
)

// checkOnces reports the package's Once functions whose failure is kept
// for ever.
func (c *checker) checkOnces() {
	for cur := range c.root.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if !onceName(call.Fun) {
			continue // cannot be a Once: skip the type lookup
		}
		fn := match.Callee(c.info, call)
		var api string
		switch {
		case match.OnceDo.Has(fn):
			api = "sync.Once"
		case match.OnceFuncs.Has(fn):
			api = "sync." + fn.Name()
		default:
			continue // not a Once
		}
		if len(call.Args) != 1 || !c.pass.Reportable(call.Pos()) {
			continue // a broken call, or not reported in this file
		}
		if importsPath(c.pass.File(call.Pos()), "testing") {
			continue // test support: its Onces last one test binary's run
		}
		if c.localOnce(cur, call) {
			continue // a Once made for this call runs its function once per call
		}
		if !c.singletonOnce(cur, call) && !c.pass.Strict() {
			continue // a Once of one value among many, whose lifetime we cannot see: strict only
		}
		argCur := cur.ChildAt(edge.CallExpr_Args, 0)
		if api == "sync.OnceValues" {
			c.checkOnceValues(cur, argCur)
			continue
		}
		body, within := c.onceBody(argCur)
		if body == nil {
			continue // a func value or another package's function: not seen
		}
		c.checkOnceBody(cur, api, body, within, api == "sync.OnceValue")
	}
}

// importsPath reports whether file imports the package at path.
func importsPath(file *ast.File, path string) bool {
	for _, spec := range file.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err == nil && p == path {
			return true
		}
	}
	return false
}

// onceName reports whether fun's name is one of a Once API's.
func onceName(fun ast.Expr) bool {
	switch f := ast.Unparen(fun).(type) {
	case *ast.SelectorExpr:
		switch f.Sel.Name {
		case "Do", "OnceFunc", "OnceValue", "OnceValues":
			return true
		}
	case *ast.IndexExpr: // sync.OnceValue[T](…)
		return onceName(f.X)
	case *ast.IndexListExpr:
		return onceName(f.X)
	}
	return false
}

// singletonOnce reports whether the Once at call is a singleton's: a
// sync.Once that is shared state (a package-level variable or a field of
// one), or the result of OnceFunc/OnceValue(s) kept in one. A Once that is
// a field of some other value lives as long as that value, which may be
// one request (strict profile only); a local one runs its function once
// per call of its function, which is not a hazard at all.
func (c *checker) singletonOnce(cur inspector.Cursor, call *ast.CallExpr) bool {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && c.info.Selections[sel] != nil {
		_, shared := c.refOf(sel.X) // once.Do
		return shared
	}
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) && cur.ParentEdgeKind() == edge.AssignStmt_Rhs {
			_, shared := c.refOf(p.Lhs[cur.ParentEdgeIndex()])
			return shared
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) && cur.ParentEdgeKind() == edge.ValueSpec_Values {
			v, ok := c.info.Defs[p.Names[cur.ParentEdgeIndex()]].(*types.Var)
			return ok && packageLevel(v)
		}
	}
	return false // a field of a literal, an argument, a local
}

// localOnce reports whether the Once at call lives no longer than the
// function that calls it: a local sync.Once, or the result of
// OnceFunc/OnceValue(s) assigned to a local.
func (c *checker) localOnce(cur inspector.Cursor, call *ast.CallExpr) bool {
	var v *types.Var
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && c.info.Selections[sel] != nil {
		v = nav.VarOf(c.info, sel.X) // once.Do
	} else if as, ok := cur.Parent().Node().(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) && cur.ParentEdgeKind() == edge.AssignStmt_Rhs {
		v = nav.VarOf(c.info, as.Lhs[cur.ParentEdgeIndex()])
	} else if vs, ok := cur.Parent().Node().(*ast.ValueSpec); ok && cur.ParentEdgeKind() == edge.ValueSpec_Values && len(vs.Names) == len(vs.Values) {
		v, _ = c.info.Defs[vs.Names[cur.ParentEdgeIndex()]].(*types.Var)
	}
	return v != nil && !v.IsField() && nav.IsLocal(v)
}

// onceBody returns the body of the function at arg — a literal, or a
// function or method of this package — and the node its own locals are
// declared within.
func (c *checker) onceBody(arg inspector.Cursor) (*ast.BlockStmt, ast.Node) {
	switch a := ast.Unparen(arg.Node().(ast.Expr)).(type) {
	case *ast.FuncLit:
		return a.Body, a
	case *ast.Ident, *ast.SelectorExpr:
		var id *ast.Ident
		if sel, ok := a.(*ast.SelectorExpr); ok {
			id = sel.Sel
		} else {
			id = a.(*ast.Ident)
		}
		if fn, ok := c.info.Uses[id].(*types.Func); ok {
			if fd := c.decls[fn.Origin()]; fd != nil {
				return fd.Body, fd.Body
			}
		}
	}
	return nil, nil
}

// A fate is what becomes of a failing call's error in a Once's function.
type fate int

const (
	unknownFate fate = iota // passed on, returned: not judged
	handled                 // tested for success or a kind of failure, or answered with a fallback
	dropped                 // discarded, or only logged or returned from
	crashes                 // it panics or exits on the error
	firstOnly               // kept in a local of the Once's caller: its first caller sees it, no one after
	stored                  // kept where every later caller reads it
)

// A failure is a transient call in a Once's function and its error's fate.
type failure struct {
	call *ast.CallExpr
	fate fate
	at   ast.Expr // where the error is kept (stored, firstOnly)
}

// checkOnceBody reports the first transient call in body, the function
// run by api, whose error is kept, or dropped while the function keeps a
// value that the failure leaves unset. within is the node that body's
// own locals are declared in; value says that the function's result is
// the value it keeps (OnceValue).
func (c *checker) checkOnceBody(cur inspector.Cursor, api string, body *ast.BlockStmt, within ast.Node, value bool) {
	var worst *failure
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.DeferStmt, *ast.GoStmt:
			return false // runs elsewhere, or at the end
		case *ast.CallExpr:
			if !c.failing(n) {
				return true
			}
			f := c.fateOf(n, body, within)
			if f.fate >= dropped && f.fate != crashes && (worst == nil || f.fate > worst.fate) {
				worst = f
			}
		}
		return true
	})
	if worst == nil {
		return // nothing fallible, or every failure is passed on or crashes
	}
	stores := c.outlivingStores(body, within)
	if len(stores) == 0 && !value {
		return // the function makes no value that a failure leaves unset: an effect run once
	}
	if c.inCloser(cur) {
		return // a Close run once: its failure is the one to report to every caller
	}
	name := types.ExprString(worst.call.Fun)
	d := analysis.Diagnostic{Pos: worst.call.Pos(), End: worst.call.End()}
	switch worst.fate {
	case stored:
		d.Message = fmt.Sprintf(msgStored, api, name, name)
		d.Related = []analysis.RelatedInformation{{Pos: worst.at.Pos(), End: worst.at.End(), Message: "the error is kept here"}}
		if api == "sync.Once" {
			if f := c.onceGetterFix(cur, worst); f != nil {
				d.SuggestedFixes = []analysis.SuggestedFix{*f}
			}
		}
	case firstOnly:
		d.Message = fmt.Sprintf(msgFirstOnly, name, api, name)
		d.Related = []analysis.RelatedInformation{{Pos: worst.at.Pos(), End: worst.at.End(), Message: "the error is kept here, for this caller only"}}
	case dropped:
		unset := "its result"
		if len(stores) > 0 {
			unset = types.ExprString(c.unsetBy(stores, worst.call, body))
		}
		d.Message = fmt.Sprintf(msgDropped, name, api, unset, name)
	}
	c.pass.Report(ruleOnceError, d)
}

// inCloser reports whether cur is in a method Close() or Close() error,
// the io.Closer shape.
func (c *checker) inCloser(cur inspector.Cursor) bool {
	for fd := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		fn, ok := c.info.Defs[fd.Node().(*ast.FuncDecl).Name].(*types.Func)
		if !ok || fn.Name() != "Close" || fn.Signature().Recv() == nil {
			return false
		}
		sig := fn.Signature()
		return sig.Params().Len() == 0 && (sig.Results().Len() == 0 || sig.Results().Len() == 1 && match.IsError(sig.Results().At(0).Type()))
	}
	return false
}

// failing reports whether call can fail for a transient reason and is not
// a teardown (Close), which a Once runs once by design.
func (c *checker) failing(call *ast.CallExpr) bool {
	if !c.transientCall(call) {
		return false
	}
	fn := match.Callee(c.info, call)
	sig := fn.Signature()
	return fn.Name() != "Close" || sig.Params().Len() != 0 || sig.Results().Len() != 1
}

// fateOf follows the error of call, a transient call in body.
func (c *checker) fateOf(call *ast.CallExpr, body *ast.BlockStmt, within ast.Node) *failure {
	f := &failure{call: call}
	var errLHS ast.Expr
	results := c.info.TypeOf(call)
	n := 1
	if tup, ok := results.(*types.Tuple); ok {
		n = tup.Len()
	}
	switch p := c.parentOf(body, call).(type) {
	case *ast.ExprStmt:
		f.fate = dropped
		return f
	case *ast.AssignStmt:
		if len(p.Rhs) != 1 || len(p.Lhs) != n {
			return f // not the call's own results
		}
		errLHS = p.Lhs[n-1]
	case *ast.ValueSpec:
		if len(p.Values) != 1 || len(p.Names) != n {
			return f
		}
		errLHS = p.Names[n-1]
	default:
		return f // an argument, a return, a condition: passed on
	}
	if id, ok := errLHS.(*ast.Ident); ok && id.Name == "_" {
		f.fate = dropped
		return f
	}
	if v, local := c.localOf(errLHS, within); local {
		// The error is in a local of the function: follow it.
		f.fate = dropped
		c.followLocal(f, v, body, within)
		return f
	}
	f.at = errLHS
	if v := nav.VarOf(c.info, errLHS); v != nil && nav.IsLocal(v) && !v.IsField() {
		f.fate = firstOnly // captured from the function that calls the Once
	} else {
		f.fate = stored
	}
	return f
}

// followLocal refines the fate of an error kept in local v of the Once's
// function: kept in turn somewhere (x.err = err, errX = fmt.Errorf(…,
// err)), or turned into a crash (panic(err), log.Fatal(err)).
func (c *checker) followLocal(f *failure, v *types.Var, body *ast.BlockStmt, within ast.Node) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for i, r := range n.Rhs {
				if i >= len(n.Lhs) || !nav.Mentions(c.info, r, v) {
					continue
				}
				l := n.Lhs[i]
				if _, local := c.localOf(l, within); local {
					continue // into another local: not followed further
				}
				if id, ok := l.(*ast.Ident); ok && id.Name == "_" {
					continue
				}
				fate := stored
				if lv := nav.VarOf(c.info, l); lv != nil && nav.IsLocal(lv) && !lv.IsField() {
					fate = firstOnly
				}
				if fate > f.fate {
					f.fate, f.at = fate, l
				}
			}
		case *ast.CallExpr:
			if f.fate == dropped && c.crashCall(n) && nav.Mentions(c.info, n, v) {
				f.fate = crashes
			}
		case *ast.IfStmt:
			if f.fate == dropped && c.handles(n, v, within) {
				f.fate = handled
			}
		}
		return true
	})
}

// handles reports whether ifs answers the error in v rather than only
// noting it: it tests for success (err == nil: a probe, whose failure is
// an answer), tests for a kind of failure (errors.Is, errors.As), or on
// err != nil keeps a fallback value where later callers read it.
func (c *checker) handles(ifs *ast.IfStmt, v *types.Var, within ast.Node) bool {
	found := false
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.EQL && (nav.Mentions(c.info, n.X, v) || nav.Mentions(c.info, n.Y, v)) {
				found = true // err == nil
			}
			if n.Op == token.NEQ && (nav.Mentions(c.info, n.X, v) || nav.Mentions(c.info, n.Y, v)) && len(c.outlivingStores(ifs.Body, within)) > 0 {
				found = true // a fallback
			}
		case *ast.CallExpr:
			if fn := match.Callee(c.info, n); match.IsFunc(fn, "errors", "Is", "As") && nav.Mentions(c.info, n, v) {
				found = true
			}
		}
		return !found
	})
	return found
}

// crashCall reports whether call ends the program or the goroutine:
// panic, log.Fatal and log.Panic, os.Exit.
func (c *checker) crashCall(call *ast.CallExpr) bool { return !c.mayReturn(call) }

// localOf returns the variable e names if it is a local declared within
// node (the Once's function).
func (c *checker) localOf(e ast.Expr, within ast.Node) (*types.Var, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil, false
	}
	v, ok := c.info.ObjectOf(id).(*types.Var)
	if !ok || !nav.Within(v.Pos(), within) {
		return nil, false
	}
	return v, true
}

// outlivingStores returns the assignments' targets in body that outlive
// the call of the Once's function — package-level variables, fields,
// elements, pointers' targets, captured variables — and are given a
// value that is made there: not an error, not a constant (closed = true
// marks a teardown, not an initialisation).
func (c *checker) outlivingStores(body *ast.BlockStmt, within ast.Node) []store {
	var out []store
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				return true // declares locals
			}
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == "_" {
					continue
				}
				if _, local := c.localOf(l, within); local || c.rootedInLocal(l, within) {
					continue // the function's own
				}
				if t := c.info.TypeOf(l); t == nil || match.IsError(t) {
					continue // an error kept is the failure, not the value
				}
				rhs := n.Rhs[0]
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
					if tv, ok := c.info.Types[rhs]; ok && (tv.Value != nil || tv.IsNil()) {
						continue // a constant: a flag or a reset
					}
				}
				out = append(out, store{lhs: l, rhs: rhs})
			}
		}
		return true
	})
	return out
}

// A store is an assignment of rhs to lhs, state that outlives the call.
type store struct{ lhs, rhs ast.Expr }

// unsetBy returns the store that a failure of call leaves unset: the first
// that is given one of call's results, or else the first.
func (c *checker) unsetBy(stores []store, call *ast.CallExpr, body *ast.BlockStmt) ast.Expr {
	var results []*types.Var
	if as, ok := c.parentOf(body, call).(*ast.AssignStmt); ok {
		for _, l := range as.Lhs {
			if v := nav.VarOf(c.info, l); v != nil {
				results = append(results, v)
			}
		}
	}
	for _, st := range stores {
		if ast.Unparen(st.rhs) == call {
			return st.lhs
		}
		for _, v := range results {
			if nav.Mentions(c.info, st.rhs, v) {
				return st.lhs
			}
		}
	}
	return stores[0].lhs
}

// rootedInLocal reports whether e is a field or element of a local
// declared within node: x.f or x[i] for a local x.
func (c *checker) rootedInLocal(e ast.Expr, within ast.Node) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			if c.info.Selections[x] == nil {
				return false // pkg.V
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.Ident:
			_, local := c.localOf(x, within)
			return local
		default:
			return false // *p, a call's result: not a local
		}
	}
}

// parentOf returns the statement or expression directly holding call
// within body, looking through parentheses.
func (c *checker) parentOf(body *ast.BlockStmt, call *ast.CallExpr) ast.Node {
	var parent ast.Node
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if parent != nil {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if n == call {
			for i := len(stack) - 1; i >= 0; i-- {
				if _, paren := stack[i].(*ast.ParenExpr); !paren {
					parent = stack[i]
					break
				}
			}
			return false
		}
		stack = append(stack, n)
		return true
	})
	return parent
}

// checkOnceValues reports sync.OnceValues(f) when f's error can be a
// transient failure, which OnceValues then returns for ever.
func (c *checker) checkOnceValues(cur, arg inspector.Cursor) {
	call := cur.Node().(*ast.CallExpr)
	var culprit string
	var at ast.Node
	switch a := ast.Unparen(arg.Node().(ast.Expr)).(type) {
	case *ast.FuncLit:
		sig, ok := c.info.TypeOf(a).(*types.Signature)
		if !ok {
			return
		}
		s := c.summarise(nil, sig, a.Body)
		if s == nil || !s.hasErr {
			return
		}
		for _, src := range s.errs {
			if tc := c.transientOrigin(s, src, 0); tc != nil {
				culprit, at = types.ExprString(tc.Fun), tc
				break
			}
		}
	default:
		fn := calleeOfValue(c.info, a)
		if fn == nil {
			return // a func value: unknown
		}
		if c.fact(fn.Origin()).Transient {
			culprit, at = types.ExprString(a), a
		}
	}
	if culprit == "" {
		return // its error cannot be a transient failure, as far as we see
	}
	d := analysis.Diagnostic{
		Pos:     call.Fun.Pos(),
		End:     call.Fun.End(),
		Message: fmt.Sprintf(msgValues, culprit),
	}
	if _, lit := ast.Unparen(arg.Node().(ast.Expr)).(*ast.FuncLit); lit {
		d.Related = []analysis.RelatedInformation{{Pos: at.Pos(), End: at.End(), Message: "the error comes from here"}}
	}
	if f := c.onceValuesFix(cur, arg); f != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*f}
	}
	c.pass.Report(ruleOnceError, d)
}

// calleeOfValue returns the function that e, a function value, names: f,
// pkg.F, x.M.
func calleeOfValue(info *types.Info, e ast.Expr) *types.Func {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[e].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		fn, _ := info.Uses[e.Sel].(*types.Func)
		return fn
	}
	return nil
}
