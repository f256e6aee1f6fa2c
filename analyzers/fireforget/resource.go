package fireforget

import (
	"go/ast"
	"go/types"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// stopMethods end what is blocked on their receiver.
var stopMethods = map[string]bool{"Close": true, "Shutdown": true, "Stop": true, "GracefulStop": true}

// resourceCall returns the type of another package whose method call
// calls, and whether that method is one of stopMethods. Types of package
// time are not resources: stopping a timer wakes no one.
func (c *checker) resourceCall(call *ast.CallExpr) (*types.TypeName, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	if s := c.info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return nil, false // not a method call
	}
	tn := c.resourceType(nav.TypeOf(c.info, sel.X))
	if tn == nil {
		return nil, false
	}
	return tn, stopMethods[sel.Sel.Name]
}

// resourceType returns the named type of another package that t is or
// points to, or nil.
func (c *checker) resourceType(t types.Type) *types.TypeName {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return nil
	}
	tn := named.Origin().Obj()
	if tn.Pkg() == nil || tn.Pkg() == c.pass.Pkg || match.PkgPath(tn.Pkg()) == "time" {
		return nil // the package's own type, or a timer
	}
	return tn
}

// stoppable reports whether a value of type tn (or a pointer to one) has a
// stop method: closing a connection, listener, server or stream ends the
// loop blocked on it.
func (c *checker) stoppable(tn *types.TypeName) bool {
	t := tn.Type()
	for _, typ := range []types.Type{t, types.NewPointer(t)} {
		if types.IsInterface(typ) && typ != t {
			continue // a pointer to an interface has no methods
		}
		mset := types.NewMethodSet(typ)
		for i := range mset.Len() {
			if stopMethods[mset.At(i).Obj().Name()] {
				return true
			}
		}
	}
	return false
}

// stoppedOutside reports whether the package calls a stop method on a
// resource of type tn outside the code that a goroutine runs itself.
func (c *checker) stoppedOutside(tn *types.TypeName, own []ast.Node) bool {
next:
	for _, pos := range c.stops[tn] {
		for _, n := range own {
			if n.Pos() <= pos && pos < n.End() {
				continue next // the goroutine closes it itself
			}
		}
		return true
	}
	return false
}

// outerCtx reports whether the context e comes from outside body: a
// variable declared outside it, a field, or a call's result other than the
// context package's own constructors.
func (c *checker) outerCtx(e ast.Expr, body *ast.BlockStmt) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := c.info.Uses[e]
		return obj != nil && (obj.Pos() < body.Pos() || obj.Pos() >= body.End())
	case *ast.SelectorExpr:
		return true // a field: the owner's context
	case *ast.CallExpr:
		fn := match.Callee(c.info, e)
		return fn == nil || match.PkgPath(fn.Pkg()) != "context" // r.Context(), not context.WithValue(...)
	}
	return false
}

func isChan(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// carriesContext reports whether the receiver of the method call has a
// Context() context.Context method: calls on it end when that context does.
func (c *checker) carriesContext(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if s := c.info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return false // not a method call
	}
	obj, _, _ := types.LookupFieldOrMethod(nav.TypeOf(c.info, sel.X), true, c.pass.Pkg, "Context")
	m, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := m.Signature()
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && match.IsContext(sig.Results().At(0).Type())
}
