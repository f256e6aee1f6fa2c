package unshielded

import (
	"go/ast"
	"go/token"
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

// sleepFix rewrites the statement time.Sleep(d) or <-time.After(d), whose
// head (time.Sleep, or <-time.After) and call are given, into
//
//	if err := shield.Sleep(ctx, d); err != nil {
//		return zero, …, err
//	}
//
// when the innermost function returns an error last: the only change is
// that cancellation of ctx now ends the wait and the function, with ctx's
// error. It returns nil when the wait is not a statement of a block, the
// function returns no error, a zero value cannot be written, or runtime
// fixes are not allowed.
func (c *checker) sleepFix(stmtCur inspector.Cursor, head ast.Node, call *ast.CallExpr, ctx contexts.Ctx) *analysis.SuggestedFix {
	if !c.pass.RuntimeFixes() {
		return nil // shield is not in the import graph and -runtimefixes is off
	}
	if _, ok := stmtCur.Node().(*ast.ExprStmt); !ok || !nav.InStmtList(stmtCur) {
		return nil // a value, or a statement that cannot become an if
	}
	if len(call.Args) != 1 {
		panic("unshielded: time.Sleep or time.After called with other than one argument")
	}
	results, ok := nav.Results(c.pass.TypesInfo, stmtCur)
	if !ok || results.Len() == 0 || !match.IsError(results.At(results.Len()-1).Type()) {
		return nil // the function cannot return the context's error
	}
	var ret strings.Builder
	var edits []analysis.TextEdit
	for i := range results.Len() - 1 {
		z, zedits, ok := fix.ZeroValue(c.pass.TypesInfo, c.file, c.pass.Pkg, stmtCur.Node().Pos(), results.At(i).Type())
		if !ok {
			return nil // a zero value we cannot spell in this file
		}
		ret.WriteString(z + ", ")
		edits = append(edits, zedits...)
	}
	indent, alone, ok := c.src.Indent(stmtCur.Node().Pos())
	if !ok || !alone {
		return nil // no source, or the statement does not start its line
	}
	prefix, importEdits, ok := fix.AddImport(c.pass.TypesInfo, c.file, call.Pos(), match.ShieldPath, "shield", "Sleep")
	if !ok {
		return nil // no way to refer to shield here
	}
	edits = append(edits, importEdits...)
	// The if's err shadows any outer err only inside its own block, which
	// holds nothing but the return: d is evaluated before err exists.
	edits = append(edits,
		analysis.TextEdit{Pos: head.Pos(), End: call.Lparen + 1, NewText: []byte("if err := " + prefix + "Sleep(" + ctx.Expr + ", ")},
		analysis.TextEdit{Pos: call.End(), End: call.End(), NewText: []byte("; err != nil {\n" + indent + "\treturn " + ret.String() + "err\n" + indent + "}")},
	)
	return &analysis.SuggestedFix{Message: "Sleep with shield.Sleep and return when " + ctx.Expr + " is cancelled", TextEdits: fix.Dedup(edits)}
}

// twinFix rewrites a call into its row's twin, or returns nil when the row
// has no fix or this call's shape does not allow it.
func (c *checker) twinFix(cur inspector.Cursor, call *ast.CallExpr, fn *types.Func, row *twin, ctx contexts.Ctx) *analysis.SuggestedFix {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || call.Ellipsis.IsValid() && row.fix != renameCtx {
		return nil // a dot-imported function, or f(xs...) where the twin reorders
	}
	info := c.pass.TypesInfo
	pkgID, _ := ast.Unparen(sel.X).(*ast.Ident)
	if row.recv == "" {
		if _, ok := info.Uses[pkgID].(*types.PkgName); pkgID == nil || !ok {
			return nil // not pkg.F
		}
	}
	argsAt := call.Lparen + 1 // where ctx goes
	sep := ""
	if len(call.Args) > 0 {
		sep = ", "
	}
	if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
		// (*sql.DB).Query(db, q): the receiver is the first argument, and
		// the context goes after it.
		if len(call.Args) == 0 {
			panic("unshielded: a method expression called without its receiver")
		}
		argsAt, sep = call.Args[0].End(), ""
	}
	var edits []analysis.TextEdit
	switch row.fix {
	case renameCtx, renameCtxNil:
		extra := 0
		if row.fix == renameCtxNil {
			extra = 1
		}
		if !c.twinExists(sel, fn, row, extra) {
			return nil // this receiver has no same-shaped twin (e.g. hidden by an embedding type's method)
		}
		args := ctx.Expr + sep
		if row.fix == renameCtxNil {
			args = ctx.Expr + ", nil" + sep
		}
		if argsAt != call.Lparen+1 {
			args = ", " + strings.TrimSuffix(args, sep) // after the receiver argument
		}
		edits = []analysis.TextEdit{
			{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(row.to)},
			{Pos: argsAt, End: argsAt, NewText: []byte(args)},
		}
	case resolver:
		edits = []analysis.TextEdit{
			{Pos: sel.Sel.Pos(), End: sel.Sel.Pos(), NewText: []byte("DefaultResolver.")},
			{Pos: argsAt, End: argsAt, NewText: []byte(ctx.Expr + sep)},
		}
	case dialer:
		edits = []analysis.TextEdit{
			{Pos: call.Fun.Pos(), End: call.Fun.End(), NewText: []byte("(&" + pkgID.Name + ".Dialer{})." + row.to)},
			{Pos: argsAt, End: argsAt, NewText: []byte(ctx.Expr + sep)},
		}
	case dialerTimeout:
		if len(call.Args) != 3 || !c.pure(call.Args...) {
			return nil // moving the timeout first could change what is evaluated when
		}
		timeout, ok := c.src.Text(call.Args[2].Pos(), call.Args[2].End())
		if !ok {
			return nil // no source to move
		}
		edits = []analysis.TextEdit{
			{Pos: call.Fun.Pos(), End: call.Fun.End(), NewText: []byte("(&" + pkgID.Name + ".Dialer{Timeout: " + timeout + "})." + row.to)},
			{Pos: argsAt, End: argsAt, NewText: []byte(ctx.Expr + sep)},
			{Pos: call.Args[1].End(), End: call.Args[2].End()},
		}
	case tlsDialer:
		var ok bool
		if edits, ok = c.tlsDialerEdits(cur, call, fn, pkgID.Name, ctx); !ok {
			return nil
		}
	default:
		return nil // a "no fix" row
	}
	return &analysis.SuggestedFix{Message: "Call " + row.to + " with " + ctx.Expr, TextEdits: edits}
}

// tlsDialerEdits rewrites tls.Dial(n, a, cfg) or tls.DialWithDialer(d, n,
// a, cfg) into (&tls.Dialer{NetDialer: d, Config: cfg}).DialContext(ctx,
// n, a). The dialers agree on everything but the context: a nil NetDialer
// is a zero net.Dialer, as Dial's new(net.Dialer) is, and both handshake
// with cfg. Two things differ and limit the fix: DialContext returns a
// net.Conn, so the result must be a new variable used only as one; and d
// must be a &net.Dialer{…} literal, since a nil d panics in DialWithDialer
// but not in a Dialer.
func (c *checker) tlsDialerEdits(cur inspector.Cursor, call *ast.CallExpr, fn *types.Func, tls string, ctx contexts.Ctx) ([]analysis.TextEdit, bool) {
	args := call.Args
	var netDialer ast.Expr
	if fn.Name() == "DialWithDialer" {
		if len(args) != 4 {
			return nil, false
		}
		netDialer, args = args[0], args[1:]
		u, ok := ast.Unparen(netDialer).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return nil, false // a dialer that may be nil
		}
		if _, ok := ast.Unparen(u.X).(*ast.CompositeLit); !ok {
			return nil, false
		}
	}
	if len(args) != 3 || !c.pure(args...) {
		return nil, false // moving cfg first could change what is evaluated when
	}
	tw, ok := fn.Pkg().Scope().Lookup("Dialer").Type().(*types.Named)
	if !ok {
		return nil, false
	}
	dc, _, _ := types.LookupFieldOrMethod(types.NewPointer(tw), false, fn.Pkg(), "DialContext")
	m, ok := dc.(*types.Func)
	if !ok || m.Signature().Results().Len() != 2 || !c.usedAs(cur, m.Signature().Results().At(0).Type()) {
		return nil, false // the result is used as a *tls.Conn
	}
	text := func(e ast.Expr) string {
		t, ok := c.src.Text(e.Pos(), e.End())
		if !ok {
			panic("unshielded: no source for an argument of a reported call")
		}
		return t
	}
	lit := "Config: " + text(args[2])
	if netDialer != nil {
		lit = "NetDialer: " + text(netDialer) + ", " + lit
	}
	rewrite := "(&" + tls + ".Dialer{" + lit + "}).DialContext(" + ctx.Expr + ", " + text(args[0]) + ", " + text(args[1]) + ")"
	return []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(rewrite)}}, true
}

// usedAs reports whether the first result of the call at cur is assigned
// to a new variable (conn, err := f()) whose every use would accept a
// value of the interface type iface instead: a method of iface called on
// it, a comparison with nil, or an argument, assignment or result whose
// type is an interface that iface is assignable to.
func (c *checker) usedAs(cur inspector.Cursor, iface types.Type) bool {
	info := c.pass.TypesInfo
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Rhs) != 1 || len(as.Lhs) == 0 || cur.ParentEdgeKind() != edge.AssignStmt_Rhs {
		return false
	}
	id, ok := as.Lhs[0].(*ast.Ident)
	if !ok {
		return false
	}
	if id.Name == "_" {
		return true // dropped
	}
	v, ok := info.Defs[id].(*types.Var)
	if !ok {
		return false // an existing variable, of the old type
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		return false
	}
	accepts := func(t types.Type) bool {
		return t != nil && types.IsInterface(t) && types.AssignableTo(iface, t)
	}
	for use := range fn.Preorder((*ast.Ident)(nil)) {
		if info.Uses[use.Node().(*ast.Ident)] != v {
			continue
		}
		switch p := use.Parent().Node().(type) {
		case *ast.SelectorExpr:
			obj, _, _ := types.LookupFieldOrMethod(iface, false, c.pass.Pkg, p.Sel.Name)
			if _, isMethod := obj.(*types.Func); !isMethod || use.ParentEdgeKind() != edge.SelectorExpr_X {
				return false // a method or field of *tls.Conn only
			}
		case *ast.BinaryExpr:
			other := p.Y
			if use.ParentEdgeKind() == edge.BinaryExpr_Y {
				other = p.X
			}
			if (p.Op != token.EQL && p.Op != token.NEQ) || !info.Types[other].IsNil() {
				return false
			}
		case *ast.CallExpr:
			sig, ok := info.TypeOf(p.Fun).Underlying().(*types.Signature)
			i := use.ParentEdgeIndex()
			if !ok || use.ParentEdgeKind() != edge.CallExpr_Args || p.Ellipsis.IsValid() {
				return false
			}
			var param types.Type
			switch {
			case i < sig.Params().Len()-1 || !sig.Variadic() && i < sig.Params().Len():
				param = sig.Params().At(i).Type()
			case sig.Variadic():
				param = sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice).Elem()
			}
			if !accepts(param) {
				return false
			}
		case *ast.ReturnStmt:
			results, ok := nav.Results(c.pass.TypesInfo, use)
			i := use.ParentEdgeIndex()
			if !ok || results.Len() != len(p.Results) || !accepts(results.At(i).Type()) {
				return false
			}
		case *ast.AssignStmt:
			i := use.ParentEdgeIndex()
			if use.ParentEdgeKind() != edge.AssignStmt_Rhs || len(p.Lhs) != len(p.Rhs) || p.Tok == token.DEFINE || !accepts(info.TypeOf(p.Lhs[i])) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// twinExists reports whether the twin that the rewrite of call would call
// exists, is the twin of fn's own type (not a method of an embedding type
// that hides it), and has fn's shape with a context first.
func (c *checker) twinExists(sel *ast.SelectorExpr, fn *types.Func, row *twin, extra int) bool {
	var obj types.Object
	if row.recv == "" {
		obj = fn.Pkg().Scope().Lookup(row.to)
	} else {
		obj, _, _ = types.LookupFieldOrMethod(c.pass.TypesInfo.TypeOf(sel.X), true, c.pass.Pkg, row.to)
	}
	tw, ok := obj.(*types.Func)
	if !ok || match.Receiver(tw) != match.Receiver(fn) {
		return false
	}
	return sameShape(fn.Signature(), tw.Signature(), extra)
}

// pure reports whether evaluating es has no effects, so that their order
// does not matter: identifiers, constants, field selections, and operators
// and conversions on them. (Which of two nil dereferences panics first is
// not a difference a program can observe beyond the panic's message.)
func (c *checker) pure(es ...ast.Expr) bool {
	info := c.pass.TypesInfo
	for _, e := range es {
		if tv, ok := info.Types[e]; ok && tv.Value != nil {
			continue // a constant
		}
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident, *ast.BasicLit:
		case *ast.SelectorExpr:
			if s := info.Selections[e]; s != nil && (s.Kind() != types.FieldVal || !c.pure(e.X)) {
				return false // a method value, or a field of something impure
			}
		case *ast.UnaryExpr:
			if e.Op == token.ARROW || !c.pure(e.X) {
				return false
			}
		case *ast.BinaryExpr:
			if !c.pure(e.X, e.Y) {
				return false
			}
		case *ast.CallExpr:
			if tv, ok := info.Types[e.Fun]; !ok || !tv.IsType() || len(e.Args) != 1 || !c.pure(e.Args[0]) {
				return false // a call, not a conversion
			}
		default:
			return false
		}
	}
	return true
}
