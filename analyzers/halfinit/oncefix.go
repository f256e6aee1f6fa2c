package halfinit

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// onceGetterFix rewrites the getter
//
//	func Get() (T, error) { once.Do(func() { x, err = newT() }); return x, err }
//
// whose once, x and err nothing else uses, to a singleton.Lazy that takes
// x's name: the declarations of once and err go, and Get returns
// x.Get(ctx).
func (c *checker) onceGetterFix(cur inspector.Cursor, f *failure) *analysis.SuggestedFix {
	call := cur.Node().(*ast.CallExpr)
	es, ok := cur.Parent().Node().(*ast.ExprStmt)
	if !ok {
		return nil
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		return nil
	}
	g, ok := c.getterOf(fn, es)
	if !ok {
		return nil // not a getter made of the Do and a return
	}
	once, ok1 := c.plainVar(ast.Unparen(call.Fun).(*ast.SelectorExpr).X)
	lit, ok2 := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	if !ok1 || !ok2 || !match.IsNamed(once.Type(), "sync", "Once") || len(lit.Body.List) != 1 {
		return nil // not once.Do(func() { x, err = newT() })
	}
	as, ok := lit.Body.List[0].(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 2 || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != f.call {
		return nil
	}
	x, ok1 := c.plainVar(as.Lhs[0])
	errV, ok2 := c.plainVar(as.Lhs[1])
	if !ok1 || !ok2 || len(g.ret.Results) != 2 {
		return nil
	}
	if rx, ok := c.plainVar(g.ret.Results[0]); !ok || rx != x {
		return nil // not return x, err
	}
	if re, ok := c.plainVar(g.ret.Results[1]); !ok || re != errV {
		return nil
	}
	res := g.results(c.info)
	if res.Len() != 2 || !types.Identical(res.At(0).Type(), x.Type()) || !match.IsError(errV.Type()) {
		return nil // not (T, error) for x's type T
	}
	onceGD, onceSpec, ok1 := c.soleVar(once)
	_, xSpec, ok2 := c.soleVar(x)
	errGD, errSpec, ok3 := c.soleVar(errV)
	if !ok1 || !ok2 || !ok3 || c.useCount(once, g.decl) != 1 || c.useCount(x, g.decl) != 2 || c.useCount(errV, g.decl) != 2 {
		return nil // used elsewhere, declared with others, or exported
	}
	var ctxVar *types.Var
	if g.hasC && !g.ctx.FromRequest {
		ctxVar = g.ctx.Var
	}
	if c.mentionsOuter(f.call, g.decl, ctxVar) || c.cycles(f.call, x, g.fn(c.info)) {
		return nil // the call needs the getter's locals, or leads back to x
	}
	text, ok := c.src.Text(f.call.Pos(), f.call.End())
	if !ok {
		return nil
	}
	del1, ok1 := c.deleteSpec(onceGD, onceSpec)
	del2, ok2 := c.deleteSpec(errGD, errSpec)
	if !ok1 || !ok2 {
		return nil // the declarations share their lines with other code
	}
	return c.lazyEdits(g, xSpec, "return "+text+"\n", c.ctxParam(ctxVar, f.call), []analysis.TextEdit{del1, del2})
}

// plainVar returns the package-level variable that e names, if e names
// one itself (not a field of one).
func (c *checker) plainVar(e ast.Expr) (*types.Var, bool) {
	r, ok := c.refOf(e)
	if !ok || r.path != "" {
		return nil, false
	}
	return r.root, true
}

// deleteSpec returns the edit that deletes spec of gd, with its doc
// comment and its line: the whole declaration if spec is its only one.
func (c *checker) deleteSpec(gd *ast.GenDecl, spec *ast.ValueSpec) (analysis.TextEdit, bool) {
	var node ast.Node = spec
	doc := spec.Doc
	if len(gd.Specs) == 1 {
		node, doc = gd, gd.Doc
	}
	start := node.Pos()
	if doc != nil {
		start = doc.Pos()
	}
	end := node.End()
	if spec.Comment != nil && spec.Comment.End() > end {
		end = spec.Comment.End()
	}
	if _, alone, ok := c.src.Indent(start); !ok || !alone {
		return analysis.TextEdit{}, false // code before it on its line
	}
	eol, ok := c.src.LineEnd(end)
	if !ok {
		return analysis.TextEdit{}, false // code after it on its line
	}
	next, ok := c.src.NextLine(eol)
	if !ok {
		return analysis.TextEdit{}, false // the last line of the file
	}
	return analysis.TextEdit{Pos: c.src.LineStart(start), End: next}, true
}

// onceValuesFix rewrites
//
//	var load = sync.OnceValues(f)
//
// whose every use is a call load(), to a singleton.Lazy that takes load's
// name, called as load.Get(ctx) with the ctx in scope at each call
// (context.Background() where there is none).
func (c *checker) onceValuesFix(cur, arg inspector.Cursor) *analysis.SuggestedFix {
	call := cur.Node().(*ast.CallExpr)
	vs, ok := cur.Parent().Node().(*ast.ValueSpec)
	if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || vs.Type != nil {
		return nil // not var load = sync.OnceValues(f)
	}
	v, ok := c.info.Defs[vs.Names[0]].(*types.Var)
	if !ok || !packageLevel(v) || v.Exported() && c.pass.Pkg.Name() != "main" {
		return nil // a local, or other packages may call it
	}
	sig, ok := c.info.TypeOf(call).(*types.Signature)
	if !ok || sig.Results().Len() != 2 {
		return nil
	}
	if !c.pass.RuntimeFixes() {
		return nil // the runtime is not in the build yet
	}
	file := c.pass.File(vs.Pos())
	typ, edits, ok := fix.TypeText(c.info, file, c.pass.Pkg, vs.Pos(), sig.Results().At(0).Type())
	if !ok {
		return nil // a type this file cannot name
	}
	singQ, e, ok := fix.AddImport(c.info, file, vs.Pos(), singletonPath, "singleton", "Lazy")
	if !ok {
		return nil
	}
	edits = append(edits, e...)
	ctxQ, e, ok := fix.AddImport(c.info, file, vs.Pos(), "context", "context", "Context")
	if !ok {
		return nil
	}
	edits = append(edits, e...)

	switch a := ast.Unparen(arg.Node().(ast.Expr)).(type) {
	case *ast.FuncLit:
		if a.Type.Params.NumFields() != 0 || !a.Type.Params.Opening.IsValid() {
			return nil
		}
		edits = append(edits,
			// sync.OnceValues(func() (T, error) {…}) → singleton.Lazy[T]{New: func(context.Context) (T, error) {…}}
			analysis.TextEdit{Pos: call.Pos(), End: call.Lparen + 1, NewText: fmt.Appendf(nil, "%sLazy[%s]{New: ", singQ, typ)},
			fix.Insert(a.Type.Params.Opening+1, ctxQ+"Context"),
			analysis.TextEdit{Pos: call.Rparen, End: call.Rparen + 1, NewText: []byte("}")},
		)
	default:
		text, ok := c.src.Text(a.Pos(), a.End())
		if !ok {
			return nil
		}
		edits = append(edits, analysis.TextEdit{Pos: call.Pos(), End: call.End(),
			NewText: fmt.Appendf(nil, "%sLazy[%s]{New: func(%sContext) (%s, error) { return %s() }}", singQ, typ, ctxQ, typ, text)})
	}

	// Every use: load() → load.Get(ctx).
	calls := 0
	for id, obj := range c.info.Uses {
		if obj != v {
			continue
		}
		idc, ok := c.root.FindNode(id)
		if !ok {
			return nil
		}
		useCur := idc
		for useCur.ParentEdgeKind() == edge.ParenExpr_X {
			useCur = useCur.Parent()
		}
		use, ok := useCur.Parent().Node().(*ast.CallExpr)
		if !ok || useCur.ParentEdgeKind() != edge.CallExpr_Fun || len(use.Args) != 0 {
			return nil // load used as a value: its type changes
		}
		if !c.pass.AtLeast(use.Pos(), "go1.21") {
			return nil
		}
		ctxArg := ""
		if ctx, ok := contexts.At(c.info, useCur.Parent()); ok {
			ctxArg = ctx.Expr
		} else {
			bgQ, e, ok := fix.AddImport(c.info, c.pass.File(use.Pos()), use.Pos(), "context", "context", "Background")
			if !ok {
				return nil
			}
			edits = append(edits, e...)
			ctxArg = bgQ + "Background()"
		}
		edits = append(edits,
			fix.Insert(use.Fun.End(), ".Get"),
			fix.Insert(use.Lparen+1, ctxArg))
		calls++
	}
	if calls == 0 || !c.pass.AtLeast(vs.Pos(), "go1.21") {
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   fmt.Sprintf("Make %s with singleton.Lazy, which retries a failure after a delay instead of keeping it", v.Name()),
		TextEdits: fix.Dedup(edits),
	}
}
