package contexts

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A File answers where the contexts of one file come from: how a variable
// was initialised, whether anything can cancel it while the function runs,
// and whether it carries its caller's cancellation.
type File struct {
	info *types.Info
	file inspector.Cursor // the *ast.File
	pkg  inspector.Cursor // the package's syntax, to follow its own helpers; zero if unknown
}

// NewFile returns the File for the file at cur.
func NewFile(info *types.Info, file inspector.Cursor) *File {
	if _, ok := file.Node().(*ast.File); !ok {
		panic("contexts.NewFile: the cursor is not at a file")
	}
	return &File{info: info, file: file}
}

// Within returns f, told the syntax of the whole package (an inspector's
// Root) so that it can follow the package's own helpers: a context made by
// a function of the package whose every return detaches it is not
// cancellable.
func (f *File) Within(pkg inspector.Cursor) *File {
	f.pkg = pkg
	return f
}

// Definition returns the expression that initialises the local variable v
// where it is declared (ctx in ctx, cancel := context.WithCancel(parent)
// gets the call), or nil for a parameter, a variable declared without a
// value, or one declared in another file.
func (f *File) Definition(v *types.Var) ast.Expr {
	if !nav.Within(v.Pos(), f.file.Node()) {
		return nil // declared in another file
	}
	idc, ok := f.file.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !ok {
		panic("contexts: no syntax for a variable of the file")
	}
	id, ok := idc.Node().(*ast.Ident)
	if !ok {
		panic("contexts: a variable declared by something other than an identifier")
	}
	var lhs, rhs []ast.Expr
	switch p := idc.Parent().Node().(type) {
	case *ast.AssignStmt:
		lhs, rhs = p.Lhs, p.Rhs
	case *ast.ValueSpec:
		for _, n := range p.Names {
			lhs = append(lhs, n)
		}
		rhs = p.Values
	default:
		return nil // a parameter, a range variable, a type switch binding…
	}
	for i, l := range lhs {
		if l != id {
			continue // another variable of the statement
		}
		switch {
		case len(rhs) == len(lhs):
			return rhs[i]
		case len(rhs) == 1 && i == 0:
			return rhs[0] // ctx, cancel := context.WithCancel(parent)
		}
	}
	return nil
}

// Cancellable reports whether the context variable v may be cancelled
// while the function runs. Not when it is initialised with
// context.Background(), TODO() or WithoutCancel, nor with WithValue,
// WithCancel or WithCancelCause of such a parent: a context the function
// makes for itself and cancels when it decides is not a promise to its
// caller. (WithTimeout and WithDeadline of any parent can end on their
// own, so they are cancellable.) Later assignments are not followed: a
// rare pattern, and the rules built on this then stay silent rather than
// report.
func (f *File) Cancellable(v *types.Var) bool {
	rhs := f.Definition(v)
	if rhs == nil {
		return true // a parameter, or declared without a value
	}
	return f.cancellableExpr(rhs, false, 0)
}

// FromCaller reports, more strictly, whether the context variable v
// carries its caller's cancellation: it is a parameter, r.Context() or
// another Context() method's result, or derived from one through package
// context or a call that takes one (ctx, span := tracer.Start(ctx, …)). A
// context the function makes afresh — WithTimeout(Background(), d), or a
// helper's fresh context — bounds the function's own calls; a wait that
// outlasts it delays nobody's cancellation.
func (f *File) FromCaller(v *types.Var) bool {
	rhs := f.Definition(v)
	if rhs == nil {
		return f.IsParam(v) // var ctx context.Context: of unknown origin
	}
	return f.cancellableExpr(rhs, true, 0)
}

// IsParam reports whether v is a parameter of a function of this file.
func (f *File) IsParam(v *types.Var) bool {
	if !nav.Within(v.Pos(), f.file.Node()) {
		return false // declared in another file: not a parameter of ours
	}
	idc, ok := f.file.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	return ok && idc.ParentEdgeKind() == edge.Field_Names && idc.Parent().ParentEdgeKind() == edge.FieldList_List &&
		idc.Parent().Parent().ParentEdgeKind() == edge.FuncType_Params
}

func (f *File) cancellableExpr(e ast.Expr, strict bool, depth int) bool {
	if depth > 8 {
		return true // a long chain of definitions: assume the usual
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := f.info.Uses[e].(*types.Var); ok && nav.IsLocal(v) {
			if rhs := f.Definition(v); rhs != nil {
				return f.cancellableExpr(rhs, strict, depth+1)
			}
			return !strict || f.IsParam(v) // a parameter, or of unknown origin
		}
	case *ast.CallExpr:
		fn := match.Callee(f.info, e)
		switch {
		case match.IsFunc(fn, "context", "Background", "TODO", "WithoutCancel"):
			return false
		case match.IsFunc(fn, "context", "WithValue", "WithCancel", "WithCancelCause") && len(e.Args) > 0:
			return f.cancellableExpr(e.Args[0], strict, depth+1)
		case fn != nil && f.helperDetaches(fn, depth):
			return false // the package's own helper returns a context nothing can cancel
		case !strict:
			return true
		case fn != nil && fn.Name() == "Context" && fn.Signature().Recv() != nil && len(e.Args) == 0:
			return true // r.Context(), stream.Context(): the caller's request
		}
		for _, arg := range e.Args {
			if match.IsContext(f.info.TypeOf(arg)) && f.cancellableExpr(arg, strict, depth+1) {
				return true // derived from a context it is given
			}
		}
		return false // a fresh context: no context goes in
	case *ast.UnaryExpr:
		if lit, ok := ast.Unparen(e.X).(*ast.CompositeLit); ok && e.Op == token.AND {
			return f.wrapperCancellable(lit, strict, depth)
		}
	case *ast.CompositeLit:
		return f.wrapperCancellable(e, strict, depth)
	}
	return !strict // a field (s.ctx), a type assertion…: not the caller's
}

// wrapperCancellable reports whether the context that lit, a value of a
// struct type implementing context.Context, stands for may be cancelled:
// not if the type declares its own Done (a hand-made WithoutCancel), else
// as the embedded context.Context it is given (&onlyValues{Context:
// context.Background(), values: ctx} keeps ctx's values only).
func (f *File) wrapperCancellable(lit *ast.CompositeLit, strict bool, depth int) bool {
	t := f.info.TypeOf(lit)
	if t == nil {
		return !strict
	}
	if DeclaresDone(t) {
		return false // a hand-made WithoutCancel
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return !strict
	}
	for i, elt := range lit.Elts {
		var field *types.Var
		val := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				field, _ = f.info.ObjectOf(id).(*types.Var)
			}
			val = kv.Value
		} else if i < st.NumFields() {
			field = st.Field(i)
		}
		if field != nil && field.Embedded() && match.IsContext(field.Type()) {
			return f.cancellableExpr(val, strict, depth+1)
		}
	}
	return !strict // the embedded context is not given: unknown
}

// DeclaresDone reports whether t, or a pointer to it, declares a Done
// method of its own rather than promoting an embedded context's: a
// context type such as &suppressedContext{ctx} that is a hand-made
// WithoutCancel.
func DeclaresDone(t types.Type) bool {
	for _, typ := range []types.Type{t, types.NewPointer(t)} {
		if sel := types.NewMethodSet(typ).Lookup(nil, "Done"); sel != nil && len(sel.Index()) == 1 {
			return true // declared by the type itself, not promoted
		}
	}
	return false
}

// helperDetaches reports whether fn, a function of the package, returns
// a context.Context that no return statement's value can cancel.
func (f *File) helperDetaches(fn *types.Func, depth int) bool {
	if !f.pkg.Valid() || fn.Pkg() == nil {
		return false // the package's syntax is unknown
	}
	res := fn.Signature().Results()
	at := -1
	for i := range res.Len() {
		if match.IsContext(res.At(i).Type()) {
			at = i
		}
	}
	if at < 0 {
		return false // returns no context
	}
	idc, ok := f.pkg.FindByPos(fn.Pos(), fn.Pos()+token.Pos(len(fn.Name())))
	if !ok {
		return false // declared in another package
	}
	decl, ok := idc.Parent().Node().(*ast.FuncDecl)
	if !ok || decl.Body == nil || f.info.Defs[decl.Name] != fn {
		return false
	}
	returns := 0
	detached := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns++
			if len(n.Results) != res.Len() || f.cancellableExpr(n.Results[at], false, depth+1) {
				detached = false
			}
		}
		return detached
	})
	return returns > 0 && detached
}

// Live returns the ctx in scope at cur if it carries the caller's
// cancellation (see FromCaller), and if cur is not part of the statement
// that assigns it:
//
//	ctx, cancel = context.WithCancel(context.Background())
//
// is where ctx gets its value, not a use of it.
func (f *File) Live(cur inspector.Cursor) (Ctx, bool) {
	ctx, ok := At(f.info, cur)
	if !ok {
		return Ctx{}, false // no ctx in scope
	}
	if !ctx.FromRequest && !f.FromCaller(ctx.Var) {
		return Ctx{}, false // nothing can cancel it while we run
	}
	for a := range cur.Enclosing((*ast.AssignStmt)(nil), (*ast.FuncLit)(nil), (*ast.BlockStmt)(nil)) {
		if as, ok := a.Node().(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && f.info.ObjectOf(id) == ctx.Var {
					return Ctx{}, false // this statement gives ctx its value
				}
			}
		}
		break // only the innermost statement matters
	}
	return ctx, true
}

// IsDone reports whether ch is ctx.Done() for some context, called in
// place or stored in a local variable first (done := ctx.Done()).
func (f *File) IsDone(ch ast.Expr) bool {
	ch = ast.Unparen(ch)
	if id, ok := ch.(*ast.Ident); ok {
		v, ok := f.info.Uses[id].(*types.Var)
		if !ok {
			return false
		}
		rhs := f.Definition(v)
		return rhs != nil && IsDoneCall(f.info, rhs)
	}
	return IsDoneCall(f.info, ch)
}

// UncancellableHere reports whether code at cur runs only when ctx.Done()
// is nil — the context package's way of saying that a context can never
// be cancelled:
//
//	if done := ctx.Done(); done != nil { select { … }; continue }
//	time.Sleep(d) // ctx is not cancellable
func (f *File) UncancellableHere(cur inspector.Cursor) bool {
	for a := cur; a.Valid(); a = a.Parent() {
		switch n := a.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return false // the function's own code only
		case *ast.IfStmt:
			if a != cur && cur.Node().Pos() >= n.Body.Pos() && cur.Node().End() <= n.Body.End() && f.doneNilTest(n) == token.EQL {
				return true // inside if ctx.Done() == nil { … }
			}
		}
		if _, ok := a.Node().(ast.Stmt); !ok {
			continue // only statements have statements before them
		}
		for s, ok := a.PrevSibling(); ok; s, ok = s.PrevSibling() {
			if ifs, ok := s.Node().(*ast.IfStmt); ok && ifs.Else == nil && f.doneNilTest(ifs) == token.NEQ && Leaves(ifs.Body) {
				return true // after if ctx.Done() != nil { …; return }
			}
		}
	}
	return false
}

// doneNilTest returns == or != if the condition of ifs compares ctx.Done()
// (or a variable holding it) with nil, or token.ILLEGAL.
func (f *File) doneNilTest(ifs *ast.IfStmt) token.Token {
	b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
		return token.ILLEGAL
	}
	x, y := b.X, b.Y
	if tv, ok := f.info.Types[x]; ok && tv.IsNil() {
		x, y = y, x
	}
	if tv, ok := f.info.Types[y]; !ok || !tv.IsNil() {
		return token.ILLEGAL // not a comparison with nil
	}
	if id, ok := ast.Unparen(x).(*ast.Ident); ok {
		if v, ok := f.info.Uses[id].(*types.Var); ok {
			x = f.Definition(v)
		}
	}
	if x == nil || !IsDoneCall(f.info, x) {
		return token.ILLEGAL
	}
	return b.Op
}
