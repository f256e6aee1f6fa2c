package unshielded

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A sharedAPI runs a function once on behalf of several callers.
type sharedAPI struct {
	name    string // as messages name it: "(*sync.Once).Do"
	forever bool   // the result is kept for every later caller (Once), not only concurrent ones
	// effects says the API returns no result to the callers that share
	// it (Once.Do, OnceFunc): they share the work's outcome only if it
	// stores one where later callers read it.
	effects bool
}

// sharedKindOf returns the shared-work API that fn is, or the zero value.
func sharedKindOf(fn *types.Func) sharedAPI {
	switch {
	case match.OnceDo.Has(fn):
		return sharedAPI{name: "(*sync.Once).Do", forever: true, effects: true}
	case match.IsFunc(fn, "sync", "OnceFunc"):
		return sharedAPI{name: "sync.OnceFunc", forever: true, effects: true}
	case match.OnceFuncs.Has(fn): // OnceValue, OnceValues
		return sharedAPI{name: "sync." + fn.Name(), forever: true}
	case match.SingleflightDo.Has(fn), match.SingleflightDoChan.Has(fn):
		return sharedAPI{name: "(*singleflight.Group)." + fn.Name()}
	}
	return sharedAPI{}
}

// sharedWork reports a cancellable context of the enclosing function that
// reaches the function literal passed to a shared-work API.
func (c *checker) sharedWork(cur inspector.Cursor, call *ast.CallExpr, api sharedAPI) {
	info := c.pass.TypesInfo
	if len(call.Args) == 0 {
		panic("unshielded: a shared-work call without arguments")
	}
	last := len(call.Args) - 1
	lit, ok := ast.Unparen(call.Args[last]).(*ast.FuncLit)
	if !ok {
		return // a named function or a func value: its ctx, if any, is not captured here
	}
	litCur := cur.ChildAt(edge.CallExpr_Args, last)
	shared := c.sharedVar(cur, call)
	owner := c.ownerVar(call) // the value whose field the Once or group is
	var uses []ast.Expr       // captured cancellable contexts, in source order
	for idc := range litCur.Preorder((*ast.Ident)(nil)) {
		use, ok := c.capturedCtx(idc, lit)
		if !ok {
			continue // not a captured cancellable context
		}
		if exempt(info, use) {
			continue // reads values only, or is detached already
		}
		v := info.Uses[idc.Node().(*ast.Ident)]
		if shared != nil && c.madeAfter(shared, v) {
			continue // the Once or group is made after ctx, so all who share it share ctx too
		}
		if owner != nil && c.madeAfter(owner, v) {
			continue // a field of a value made after ctx: a per-call value, shared only by its ctx's callers
		}
		uses = append(uses, use.Node().(ast.Expr))
	}
	if len(uses) == 0 {
		return // the shared work creates or detaches its own context
	}
	if api.effects && !c.storesOutcome(cur, lit, uses) {
		return // nothing computed with ctx is kept for later callers: a Shutdown run once, say
	}
	name := types.ExprString(uses[0])
	who := "every concurrent caller with the same key"
	if api.forever {
		who = "every caller, for ever"
	}
	d := analysis.Diagnostic{
		Pos: uses[0].Pos(),
		End: uses[0].End(),
		Message: fmt.Sprintf("%s of this caller reaches work that %s shares with %s: if %s is cancelled, the work fails for all of them; detach it with context.WithoutCancel, keeping its deadline",
			name, api.name, who, name),
	}
	if fix := c.detachFix(lit, uses); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(ruleShared, d)
}

// storesOutcome reports whether lit, the work of a Once, assigns a value
// computed with one of the uses to state that outlives the calling
// invocation — a field, a package variable, a pointer's target, an
// element — where later callers read it:
//
//	once.Do(func() { c.conn, c.err = dial(ctx) })
//
// An outcome kept in the caller's own locals (err = client.Shutdown(ctx))
// is not shared: later callers get nothing from it.
func (c *checker) storesOutcome(cur inspector.Cursor, lit *ast.FuncLit, uses []ast.Expr) bool {
	info := c.pass.TypesInfo
	caller, ok := nav.EnclosingFunc(cur)
	if !ok {
		return true // package level: everything is shared
	}
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found {
			return !found
		}
		withCtx := false
		for _, r := range as.Rhs {
			for _, u := range uses {
				withCtx = withCtx || nav.Within(u.Pos(), r)
			}
		}
		if !withCtx {
			return true // not computed with the ctx
		}
		for _, l := range as.Lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok {
				found = true // a field, an element, a pointer's target
				continue
			}
			if v, ok := info.ObjectOf(id).(*types.Var); ok && id.Name != "_" && !nav.Within(v.Pos(), caller.Node()) {
				found = true // a variable declared outside the calling function
			}
		}
		return !found
	})
	return found
}

// sharedVar returns the variable that holds the shared work — the Once or
// the singleflight.Group whose method is called, or the variable that
// sync.OnceFunc's result is assigned to — or nil.
func (c *checker) sharedVar(cur inspector.Cursor, call *ast.CallExpr) *types.Var {
	info := c.pass.TypesInfo
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && info.Selections[sel] != nil {
		return nav.VarOf(info, sel.X) // once.Do, group.Do
	}
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) && cur.ParentEdgeKind() == edge.AssignStmt_Rhs {
			if id, ok := ast.Unparen(p.Lhs[cur.ParentEdgeIndex()]).(*ast.Ident); ok {
				v, _ := info.ObjectOf(id).(*types.Var)
				return v
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) && cur.ParentEdgeKind() == edge.ValueSpec_Values {
			v, _ := info.ObjectOf(p.Names[cur.ParentEdgeIndex()]).(*types.Var)
			return v
		}
	}
	return nil // stored elsewhere, or called at once
}

// capturedCtx returns the cursor of the expression that carries a
// cancellable context of an enclosing function into lit, if the identifier
// at idc is one: a context.Context variable declared outside lit, or an
// *http.Request declared outside lit whose Context() is called.
func (c *checker) capturedCtx(idc inspector.Cursor, lit *ast.FuncLit) (inspector.Cursor, bool) {
	info := c.pass.TypesInfo
	id := idc.Node().(*ast.Ident)
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || !nav.IsLocal(v) || nav.Within(v.Pos(), lit) {
		return idc, false // not a local variable captured from outside
	}
	if match.IsContext(v.Type()) {
		return idc, c.ctxs.Cancellable(v)
	}
	if !match.IsNamedOrPtr(v.Type(), "net/http", "Request") || idc.ParentEdgeKind() != edge.SelectorExpr_X {
		return idc, false // not r.Context()
	}
	callCur := idc.Parent().Parent()
	call, ok := callCur.Node().(*ast.CallExpr)
	if !ok || !match.IsMethod(match.Callee(info, call), "net/http", "Request", "Context") {
		return idc, false // another use of r
	}
	return callCur, true
}

// exempt reports whether the context at cur only reaches the shared work
// in a way that cannot cancel it: as an argument of a log/slog call or of
// a FromContext-style extractor (trace spans, metadata), as the receiver
// of ctx.Value, inside context.WithoutCancel, or as an assignment target.
func exempt(info *types.Info, cur inspector.Cursor) bool {
	switch cur.ParentEdgeKind() {
	case edge.AssignStmt_Lhs:
		return true // written, not read
	case edge.CompositeLit_Elts:
		return detachingWrapper(info, cur.Parent().Node().(*ast.CompositeLit))
	case edge.KeyValueExpr_Value:
		lit, ok := cur.Parent().Parent().Node().(*ast.CompositeLit)
		return ok && detachingWrapper(info, lit)
	case edge.SelectorExpr_X:
		call, ok := cur.Parent().Parent().Node().(*ast.CallExpr)
		return ok && match.IsMethod(match.Callee(info, call), "context", "Context", "Value")
	case edge.CallExpr_Args:
		fn := match.Callee(info, cur.Parent().Node().(*ast.CallExpr))
		if fn == nil {
			return false // a func value: it may do anything with ctx
		}
		switch {
		case match.PkgPath(fn.Pkg()) == "log/slog":
			return true // slog reads values (trace ids) from ctx, never waits on it
		case match.IsFunc(fn, "context", "WithoutCancel"):
			return true // already detached
		case strings.HasSuffix(fn.Name(), "FromContext"), strings.HasSuffix(fn.Name(), "FromIncomingContext"), strings.HasSuffix(fn.Name(), "FromOutgoingContext"):
			return true // trace.SpanFromContext, metadata.FromIncomingContext: value extraction
		}
	}
	return false
}

// detachingWrapper reports whether lit builds a context of its own type
// that declares its own Done method, a hand-made WithoutCancel.
func detachingWrapper(info *types.Info, lit *ast.CompositeLit) bool {
	t := info.TypeOf(lit)
	return t != nil && contexts.DeclaresDone(t)
}

// madeAfter reports whether x is a local variable, not a parameter,
// declared after v.
func (c *checker) madeAfter(x *types.Var, v types.Object) bool {
	return nav.IsLocal(x) && !c.ctxs.IsParam(x) && x.Pos() > v.Pos()
}

// ownerVar returns the variable at the root of the selector that the
// shared-work method is called on — r in r.once.Do, r in r.state.flight.Do —
// when the Once or group is a field, or nil.
func (c *checker) ownerVar(call *ast.CallExpr) *types.Var {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	x, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	for ok {
		if id, isIdent := ast.Unparen(x.X).(*ast.Ident); isIdent {
			v, _ := c.pass.TypesInfo.Uses[id].(*types.Var)
			return v
		}
		x, ok = ast.Unparen(x.X).(*ast.SelectorExpr)
	}
	return nil
}

// detachFix makes the shared work run on a context of its own that keeps
// the caller's values and deadline but not its cancellation:
//
//	once.Do(func() {
//		shared, cancel := context.WithoutCancel(ctx), context.CancelFunc(func() {})
//		if d, ok := ctx.Deadline(); ok {
//			shared, cancel = context.WithDeadline(shared, d)
//		}
//		defer cancel()
//		c.conn, c.err = dial(shared)
//	})
//
// A deadline bounds the work as it bounded the first caller's call:
// dropping it with the cancellation would trade a poisoned result for an
// unbounded one. It is offered when every use is the same context
// variable, the file is at Go 1.21 or later (context.WithoutCancel), and
// the literal's body starts on a line of its own.
func (c *checker) detachFix(lit *ast.FuncLit, uses []ast.Expr) *analysis.SuggestedFix {
	if !c.pass.AtLeast(lit.Pos(), "go1.21") {
		return nil // context.WithoutCancel is new in Go 1.21
	}
	id, ok := uses[0].(*ast.Ident)
	if !ok {
		return nil // r.Context(): moving its evaluation to the top changes when it happens
	}
	for _, u := range uses[1:] {
		if u2, ok := u.(*ast.Ident); !ok || c.pass.TypesInfo.Uses[u2] != c.pass.TypesInfo.Uses[id] {
			return nil // several contexts reach the work
		}
	}
	if len(lit.Body.List) == 0 || c.src.SameLine(lit.Body.Lbrace, lit.Body.List[0].Pos()) {
		return nil // a one-line literal: no line to put the detaching on
	}
	indent, _, ok := c.src.Indent(lit.Body.List[0].Pos())
	if !ok {
		return nil
	}
	at := lit.Body.List[0].Pos()
	prefix, edits, ok := fix.AddImport(c.pass.TypesInfo, c.file, at, "context", "context", "WithoutCancel")
	if !ok {
		return nil // package context is shadowed here
	}
	info := c.pass.TypesInfo
	shared := fix.FreshName(info, c.file, at, "shared")
	cancel := fix.FreshName(info, c.file, at, "cancel", shared)
	text := strings.Join([]string{
		fmt.Sprintf("%s, %s := %sWithoutCancel(%s), %sCancelFunc(func() {})", shared, cancel, prefix, id.Name, prefix),
		fmt.Sprintf("if d, ok := %s.Deadline(); ok {", id.Name),
		fmt.Sprintf("\t%s, %s = %sWithDeadline(%s, d)", shared, cancel, prefix, shared),
		"}",
		"defer " + cancel + "()",
	}, "\n"+indent) + "\n" + indent
	edits = append(edits, fix.Insert(at, text))
	for _, u := range uses {
		edits = append(edits, fix.Replace(u, shared))
	}
	return &analysis.SuggestedFix{
		Message:   "Detach the shared work from this caller's cancellation, keeping its deadline",
		TextEdits: fix.Dedup(edits),
	}
}
