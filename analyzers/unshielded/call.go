package unshielded

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// twinCall reports a call of a table row's API with a ctx in scope.
func (c *checker) twinCall(cur inspector.Cursor, call *ast.CallExpr, fn *types.Func, row *twin) {
	if match.PkgPath(c.pass.Pkg) == row.pkg {
		return // the package that implements the twin, as CommandContext calls Command
	}
	ctx, ok := c.ctxs.Live(cur)
	if !ok {
		return // no live ctx in scope
	}
	if contexts.Deliberate(c.pass.TypesInfo, cur, ctx) {
		return // cleanup or shutdown code: detached on purpose
	}
	if row.silent != "" {
		return // the call waits on nothing a ctx could cancel (see the row)
	}
	if localNetwork(c.pass.TypesInfo, fn, call) {
		return // a unix socket: nothing remote to give up on
	}
	if c.ctxReachesResult(cur) {
		return // the ctx is attached to the result later: req.WithContext(ctx), run(ctx, cmd)
	}
	if c.storedForLater(cur) {
		return // kept in a field for later calls, which bring their own ctx
	}
	if row.name == "NewRequest" && !c.passedOn(cur) {
		return // never sent through a client: nothing reads its context (req.Write(conn))
	}
	d := analysis.Diagnostic{
		Pos:     call.Fun.Pos(),
		End:     call.Rparen + 1,
		Message: fmt.Sprintf("%s is not cancelled when %s is: use %s", row.display(), ctx.Expr, row.suggestion(ctx.Expr, fn.Signature().Params().Len() > 0)),
	}
	if fix := c.twinFix(call, fn, row, ctx); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(ruleCall, d)
}

// backgroundArgs reports context.Background() or context.TODO() passed as
// the context.Context argument of a call while a ctx is in scope, except
// where the detachment is deliberate:
//
//   - as the parent of a new context (the callee returns one:
//     context.WithTimeout, WithCancel, WithValue, tracer.Start…), a root
//     with a lifetime of its own;
//   - to a call that returns no error, or whose error is dropped: work
//     handed off or fired and forgotten — a logger, an async refresh, a
//     rollback after a failure — cannot report cancellation anyway;
//   - in deferred and go calls, and in shutdown code that runs after
//     cancellation was seen.
func (c *checker) backgroundArgs(cur inspector.Cursor, call *ast.CallExpr) {
	info := c.pass.TypesInfo
	for i, arg := range call.Args {
		bg, ok := ast.Unparen(arg).(*ast.CallExpr)
		if !ok {
			continue // not a call
		}
		bgFn := match.Callee(info, bg)
		if !match.IsFunc(bgFn, "context", "Background", "TODO") {
			continue // not context.Background() nor TODO()
		}
		sig, ok := contextParam(info, call, i)
		if !ok {
			continue // the parameter is not a context.Context (an any, say)
		}
		if returnsContext(sig) {
			return // the parent of a new root context: deliberate
		}
		if !returnsError(sig) || errorDropped(cur) {
			return // fire and forget: nothing would see the cancellation
		}
		argCur := cur.ChildAt(edge.CallExpr_Args, i)
		ctx, ok := c.ctxs.Live(argCur)
		if !ok {
			return // no live ctx in scope
		}
		if contexts.Deliberate(info, argCur, ctx) {
			return // cleanup or shutdown code
		}
		c.pass.Report(ruleCall, analysis.Diagnostic{
			Pos:     arg.Pos(),
			End:     arg.End(),
			Message: fmt.Sprintf("context.%s() passed to %s while %s is in scope: the call is not cancelled when %s is", bgFn.Name(), types.ExprString(call.Fun), ctx.Expr, ctx.Expr),
		})
	}
}

// returnsContext reports whether a function of type sig returns a
// context.Context: it makes a new context from the one it is given.
func returnsContext(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if match.IsContext(v.Type()) {
			return true
		}
	}
	return false
}

// returnsError reports whether a function of type sig returns an error
// last.
func returnsError(sig *types.Signature) bool {
	res := sig.Results()
	return res.Len() > 0 && match.IsError(res.At(res.Len()-1).Type())
}

// errorDropped reports whether the results of the call at cur are thrown
// away: the call is a statement, or assigned to blanks only.
func errorDropped(cur inspector.Cursor) bool {
	switch p := cur.Parent().Node().(type) {
	case *ast.ExprStmt:
		return true
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
				return false
			}
		}
		return cur.ParentEdgeKind() == edge.AssignStmt_Rhs
	}
	return false
}

// contextParam reports whether argument i of call is passed to a parameter
// of type context.Context, and returns the signature of the callee.
func contextParam(info *types.Info, call *ast.CallExpr, i int) (*types.Signature, bool) {
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return nil, false // a conversion
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return nil, false // a builtin
	}
	params := sig.Params()
	var t types.Type
	switch {
	case i < params.Len()-1 || (i == params.Len()-1 && !sig.Variadic()):
		t = params.At(i).Type()
	case sig.Variadic() && !call.Ellipsis.IsValid():
		s, ok := params.At(params.Len() - 1).Type().Underlying().(*types.Slice)
		if !ok {
			panic("unshielded: a variadic parameter that is not a slice")
		}
		t = s.Elem()
	default:
		return nil, false // f(xs...)
	}
	return sig, match.IsContext(t)
}

// localNetwork reports whether call dials a constant unix network: a local
// socket, with nothing remote that cancellation would give up on.
func localNetwork(info *types.Info, fn *types.Func, call *ast.CallExpr) bool {
	if !match.IsFunc(fn, "net", "Dial", "DialTimeout") && !match.IsMethod(fn, "net", "Dialer", "Dial") {
		return false
	}
	if len(call.Args) == 0 {
		return false
	}
	tv := info.Types[call.Args[0]]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return false
	}
	return strings.HasPrefix(constant.StringVal(tv.Value), "unix")
}

// storedForLater reports whether the call at cur stores its result in a
// field or a package-level variable: it is built for later uses, each of
// which may bring its own ctx (s.req.WithContext(ctx) in every scrape).
func (c *checker) storedForLater(cur inspector.Cursor) bool {
	info := c.pass.TypesInfo
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || cur.ParentEdgeKind() != edge.AssignStmt_Rhs || len(as.Rhs) != 1 {
		return false
	}
	if c.lasting(as.Lhs[0]) {
		return true
	}
	// req, err := http.NewRequest(…); s.req = req
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	fn, inFunc := nav.EnclosingFunc(cur)
	if !ok || !inFunc {
		return false
	}
	for use := range fn.Preorder((*ast.Ident)(nil)) {
		if info.Uses[use.Node().(*ast.Ident)] != v || use.ParentEdgeKind() != edge.AssignStmt_Rhs {
			continue // another name, or not assigned on
		}
		later := use.Parent().Node().(*ast.AssignStmt)
		if i := use.ParentEdgeIndex(); len(later.Lhs) == len(later.Rhs) && c.lasting(later.Lhs[i]) {
			return true
		}
	}
	return false
}

// lasting reports whether the assignment target e outlives the call: a
// field or a package-level variable.
func (c *checker) lasting(e ast.Expr) bool {
	switch l := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		return true // a field
	case *ast.Ident:
		v, ok := c.pass.TypesInfo.ObjectOf(l).(*types.Var)
		return ok && nav.IsPackageLevel(v) // not _ of _, err := tx.Exec(…)
	}
	return false
}

// passedOn reports whether the result of the call at cur, assigned to a
// local variable, is passed to a call (client.Do(req), send(req)) or
// returned: only a request that reaches a client has its context read.
func (c *checker) passedOn(cur inspector.Cursor) bool {
	info := c.pass.TypesInfo
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || cur.ParentEdgeKind() != edge.AssignStmt_Rhs || len(as.Rhs) != 1 {
		return true // not kept in a variable we can follow: assume it is sent
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return true
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return false // _: dropped
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		panic("unshielded: an assignment outside any function")
	}
	for use := range fn.Preorder((*ast.Ident)(nil)) {
		if info.Uses[use.Node().(*ast.Ident)] != v {
			continue // another name
		}
		switch use.ParentEdgeKind() {
		case edge.CallExpr_Args, edge.ReturnStmt_Results, edge.CompositeLit_Elts, edge.KeyValueExpr_Value, edge.AssignStmt_Rhs, edge.SendStmt_Value:
			return true // handed to something that may send it
		}
	}
	return false
}

// ctxReachesResult reports whether the call at cur assigns its result to a
// local variable that later meets a context: it is the receiver of a
// method that takes one (req = req.WithContext(ctx)), an argument of a
// call that also takes one (client.Do(ctx, req), runCmd(ctx, cmd)), or it
// is returned to a caller that may attach its own.
func (c *checker) ctxReachesResult(cur inspector.Cursor) bool {
	info := c.pass.TypesInfo
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || cur.ParentEdgeKind() != edge.AssignStmt_Rhs || len(as.Rhs) != 1 {
		return false // the result is not stored
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return false // stored in a field or element
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return false // _
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		panic("unshielded: an assignment outside any function")
	}
	for use := range fn.Preorder((*ast.Ident)(nil)) {
		if info.Uses[use.Node().(*ast.Ident)] != v {
			continue // another name
		}
		if use.ParentEdgeKind() == edge.ReturnStmt_Results {
			return true // handed to the caller, which attaches its ctx (req.WithContext)
		}
		var call *ast.CallExpr
		switch use.ParentEdgeKind() {
		case edge.SelectorExpr_X:
			if use.Parent().ParentEdgeKind() == edge.CallExpr_Fun {
				call, _ = use.Parent().Parent().Node().(*ast.CallExpr)
			}
		case edge.CallExpr_Args:
			call, _ = use.Parent().Node().(*ast.CallExpr)
		}
		if call == nil {
			continue // not a call's receiver or argument
		}
		for _, arg := range call.Args {
			if match.IsContext(info.TypeOf(arg)) {
				return true
			}
		}
	}
	return false
}
