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
	if _, ok := stmtCur.Node().(*ast.ExprStmt); !ok || !inStmtList(stmtCur) {
		return nil // a value, or a statement that cannot become an if
	}
	if len(call.Args) != 1 {
		panic("unshielded: time.Sleep or time.After called with other than one argument")
	}
	results, ok := c.resultsOf(stmtCur)
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

// inStmtList reports whether the statement at cur is an element of a
// statement list, where it can be replaced by an if statement.
func inStmtList(cur inspector.Cursor) bool {
	switch cur.ParentEdgeKind() {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body, edge.LabeledStmt_Stmt:
		return true
	}
	return false
}

// resultsOf returns the results of the innermost function enclosing cur.
func (c *checker) resultsOf(cur inspector.Cursor) (*types.Tuple, bool) {
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		return nil, false // not in a function
	}
	var t types.Type
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		if obj := c.pass.TypesInfo.Defs[n.Name]; obj != nil {
			t = obj.Type()
		}
	case *ast.FuncLit:
		t = c.pass.TypesInfo.TypeOf(n)
	}
	sig, ok := t.(*types.Signature)
	if !ok {
		return nil, false // no type information
	}
	return sig.Results(), true
}

// twinFix rewrites a call into its row's twin, or returns nil when the row
// has no fix or this call's shape does not allow it.
func (c *checker) twinFix(call *ast.CallExpr, fn *types.Func, row *twin, ctx contexts.Ctx) *analysis.SuggestedFix {
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
	default:
		return nil // a "no fix" row
	}
	return &analysis.SuggestedFix{Message: "Call " + row.to + " with " + ctx.Expr, TextEdits: edits}
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
