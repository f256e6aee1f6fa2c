package contexts

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// Arg returns the first argument of call whose type is context.Context,
// or nil: the context a call is given.
func Arg(info *types.Info, call *ast.CallExpr) ast.Expr {
	for _, a := range call.Args {
		if match.IsContext(info.TypeOf(a)) {
			return a
		}
	}
	return nil
}

// Carried returns the nameable context that e, an expression of type
// context.Context, carries the cancellation of: a local variable or
// parameter (ctx), r.Context() of a local *http.Request, or one of those
// inside a call that returns a context derived from its context argument
// (context.WithValue(ctx, k, v), metadata.NewOutgoingContext(ctx, md)),
// which is cancelled exactly when its argument is. It reports false for
// anything else: a field, a call that makes a new context, a type
// assertion.
func (f *File) Carried(e ast.Expr) (Ctx, bool) {
	info := f.info
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok && nav.IsLocal(v) && match.IsContext(v.Type()) {
			return Ctx{Expr: v.Name(), Var: v}, true
		}
	case *ast.CallExpr:
		fn := match.Callee(info, e)
		if sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr); ok && fn != nil && fn.Name() == "Context" && len(e.Args) == 0 &&
			match.IsMethod(fn, "net/http", "Request", "Context") {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && nav.IsLocal(v) {
					return Ctx{Expr: v.Name() + ".Context()", Var: v, FromRequest: true}, true
				}
			}
			return Ctx{}, false // r.Context() of a field or a call
		}
		if match.IsFunc(fn, "context", "Background", "TODO", "WithoutCancel") {
			return Ctx{}, false // a context nothing cancels
		}
		sig, ok := nav.TypeOf(info, e.Fun).Underlying().(*types.Signature)
		if !ok || sig.Results().Len() != 1 || !match.IsContext(sig.Results().At(0).Type()) {
			return Ctx{}, false // not a call returning one context
		}
		if arg := Arg(info, e); arg != nil {
			return f.Carried(arg) // a value added to the context it is given
		}
	}
	return Ctx{}, false
}

// CanBeCancelled reports whether the context c may be cancelled while the
// function runs: r.Context() may, and a variable as Cancellable says.
func (f *File) CanBeCancelled(c Ctx) bool {
	return c.FromRequest || f.Cancellable(c.Var)
}

// Bounded returns the parent of the context variable v when v is a
// deadline the code set for itself on a context it was given:
//
//	attempt, cancel := context.WithTimeout(ctx, d) // Bounded(attempt) is ctx
//
// (WithDeadline and the …Cause variants too). Such a child ends either
// with its parent or at its own deadline; code that goes on after the
// child's deadline works for the parent. It reports false for every other
// definition, and for a parent that is not a local variable or parameter.
func (f *File) Bounded(v *types.Var) (*types.Var, bool) {
	call, ok := ast.Unparen(f.Definition(v)).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil, false // a parameter, or not a call
	}
	if !match.IsFunc(match.Callee(f.info, call), "context", "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause") {
		return nil, false // not a deadline of its own
	}
	id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok {
		return nil, false // a parent that has no name
	}
	p, ok := f.info.Uses[id].(*types.Var)
	if !ok || !nav.IsLocal(p) {
		return nil, false // a package-level context
	}
	return p, true
}

// Visible reports whether name denotes obj at pos in the file: a fix can
// write it there.
func (f *File) Visible(name string, obj types.Object, pos token.Pos) bool {
	scope := f.info.Scopes[f.file.Node().(*ast.File)]
	if scope == nil {
		return false // no type information
	}
	inner := scope.Innermost(pos)
	if inner == nil {
		return false // pos is not in the file
	}
	_, found := inner.LookupParent(name, pos)
	return found == obj
}

// CancelTest reports whether the boolean expression e tests cancellation,
// and if so, which value of e means "cancelled":
//
//	ctx.Err() != nil, ctx.Err() == context.Canceled    true
//	ctx.Err() == nil                                    false
//	errors.Is(err, context.Canceled)                    true (also DeadlineExceeded)
//	err == context.Canceled, err != context.Canceled    true, false
//	cancel.Is(err), cancel.Of(ctx, err)                 true
//	cancel.Err(ctx) != nil                              true
//	status.Code(err) == codes.Canceled                  true
//	!e                                                  the opposite of e
//
// Anything else that mentions cancellation (see MentionsCancel) reports
// ok false: the code looks at cancellation in a way whose outcome we do not
// know.
func CancelTest(info *types.Info, e ast.Expr) (cancelled, ok bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			c, ok := CancelTest(info, e.X)
			return !c, ok
		}
	case *ast.CallExpr:
		fn := match.Callee(info, e)
		switch {
		case match.IsFunc(fn, match.CancelPath, "Is", "Of"):
			return true, true
		case match.IsFunc(fn, "errors", "Is") && len(e.Args) == 2 && isCancelValue(info, e.Args[1]):
			return true, true
		}
	case *ast.BinaryExpr:
		if e.Op != token.EQL && e.Op != token.NEQ {
			return false, false
		}
		for _, sides := range [2][2]ast.Expr{{e.X, e.Y}, {e.Y, e.X}} {
			x, y := sides[0], sides[1]
			switch {
			case isNilExpr(info, y) && isCtxErr(info, x):
				return e.Op == token.NEQ, true // ctx.Err() != nil
			case isCancelValue(info, y):
				return e.Op == token.EQL, true // x == context.Canceled
			}
		}
	}
	return false, false
}

// isCtxErr reports whether e calls ctx.Err(), context.Cause(ctx) or the
// runtime's cancel.Err(ctx).
func isCtxErr(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := match.Callee(info, call)
	return match.IsMethod(fn, "context", "Context", "Err") || match.IsFunc(fn, "context", "Cause") ||
		match.IsFunc(fn, match.CancelPath, "Err")
}

// isCancelValue reports whether e is context.Canceled or
// context.DeadlineExceeded, or gRPC's codes.Canceled or
// codes.DeadlineExceeded: the values that say "cancelled".
func isCancelValue(info *types.Info, e ast.Expr) bool {
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		id = e.Sel
	case *ast.Ident:
		id = e // a dot import
	default:
		return false
	}
	obj := info.Uses[id]
	if obj == nil || obj.Pkg() == nil || (obj.Name() != "Canceled" && obj.Name() != "DeadlineExceeded") {
		return false
	}
	switch match.PkgPath(obj.Pkg()) {
	case "context":
		_, ok := obj.(*types.Var)
		return ok
	case grpcCodes:
		_, ok := obj.(*types.Const)
		return ok
	}
	return false
}

// grpcCodes is gRPC's package of status codes, whose Canceled and
// DeadlineExceeded are how a gRPC client sees its context end.
const grpcCodes = "google.golang.org/grpc/codes"

func isNilExpr(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

// IsSignal reports whether ch is a channel of struct{}: a stop or done
// channel that carries no value, only the event of its closing. Code that
// waits on one stops when its owner shuts down, as it would on ctx.Done().
func IsSignal(info *types.Info, ch ast.Expr) bool {
	t, ok := nav.TypeOf(info, ch).Underlying().(*types.Chan)
	if !ok {
		return false
	}
	s, ok := t.Elem().Underlying().(*types.Struct)
	return ok && s.NumFields() == 0
}

// Sentinel returns "Canceled" or "DeadlineExceeded" if e denotes that
// error variable of package context, or "".
func Sentinel(info *types.Info, e ast.Expr) string {
	if isCancelValue(info, e) {
		var id *ast.Ident
		switch e := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			id = e.Sel
		case *ast.Ident:
			id = e
		}
		if obj := info.Uses[id]; match.PkgPath(obj.Pkg()) == "context" {
			return obj.Name()
		}
	}
	return ""
}
