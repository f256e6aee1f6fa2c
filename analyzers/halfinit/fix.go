package halfinit

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// singletonPath is the runtime package the fixes of fallible
// initialisations rewrite to.
const singletonPath = match.RuntimePath + "/singleton"

// Fix messages.
const (
	fixOnceValue = "Make %s once with sync.OnceValue"
	fixLazy      = "Make %s with singleton.Lazy, which shares one attempt between callers and retries a failure after a delay"
	fixLazyBg    = fixLazy + " (Get is given context.Background(): no ctx is in scope)"
)

// A getter is a function of the package that hands out a singleton: its
// body is one statement that makes the value (an if or a Once's Do), and
// a return of it.
type getter struct {
	cur  inspector.Cursor // the FuncDecl
	decl *ast.FuncDecl
	file *ast.File
	ret  *ast.ReturnStmt
	ctx  contexts.Ctx // the ctx in scope at ret, if any
	hasC bool
}

// getterOf returns the getter whose first statement is the one at stmt.
func (c *checker) getterOf(fn inspector.Cursor, stmt ast.Stmt) (*getter, bool) {
	fd, ok := fn.Node().(*ast.FuncDecl)
	if !ok || fd.Body == nil || len(fd.Body.List) != 2 || fd.Body.List[0] != stmt || fd.Type.TypeParams != nil {
		return nil, false // not a function made of the statement and a return
	}
	ret, ok := fd.Body.List[1].(*ast.ReturnStmt)
	if !ok {
		return nil, false
	}
	g := &getter{cur: fn, decl: fd, file: c.pass.File(fd.Pos()), ret: ret}
	retCur, _ := fn.FindNode(ret)
	g.ctx, g.hasC = contexts.At(c.info, retCur)
	return g, true
}

// fn returns the getter's function.
func (g *getter) fn(info *types.Info) *types.Func { return info.Defs[g.decl.Name].(*types.Func) }

// results returns the getter's result types.
func (g *getter) results(info *types.Info) *types.Tuple {
	return info.Defs[g.decl.Name].(*types.Func).Signature().Results()
}

// lazyFix returns the fix of li, a racy lazy initialisation, if it is
// the whole of a getter, and what to advise in the message.
//
//	func Get() *T { if x == nil { x = newT() }; return x }
//
// becomes sync.OnceValue when making the value cannot fail, and
//
//	func Get() (*T, error) { if x == nil { …; if err != nil { return nil, err }; x = v }; return x, nil }
//
// becomes singleton.Lazy when it can.
func (c *checker) lazyFix(li *lazyInit) ([]analysis.SuggestedFix, string) {
	g, ok := c.getterOf(li.fn, li.ifs)
	fallible := c.fallibleGetter(li)
	advice := adviceGeneric
	if ok {
		advice = adviceOnce
		if fallible {
			advice = adviceLazy
		}
	}
	if !ok || li.form != formNil || li.ref.path != "" || li.ifs.Init != nil || li.ifs.Else != nil {
		return nil, advice // not a getter we recognise, or not of a plain variable
	}
	if _, isEq := li.ifs.Cond.(*ast.BinaryExpr); !isEq || ast.Unparen(li.ifs.Cond) != li.ifs.Cond {
		return nil, advice
	}
	if bin := li.ifs.Cond.(*ast.BinaryExpr); bin.Op != token.EQL {
		return nil, advice // part of a && chain
	}
	v := li.ref.root
	_, spec, ok := c.soleVar(v)
	if !ok || c.useCount(v, g.decl) != 3 {
		return nil, advice // used elsewhere, declared with others, or exported
	}
	var f *analysis.SuggestedFix
	if fallible {
		f = c.lazyGetterFix(g, li, spec)
	} else {
		f = c.onceValueFix(g, li, spec)
	}
	if f == nil {
		return nil, advice
	}
	return []analysis.SuggestedFix{*f}, advice
}

// fallibleGetter reports whether li's function returns an error last.
func (c *checker) fallibleGetter(li *lazyInit) bool {
	var sig *types.Signature
	switch f := li.fn.Node().(type) {
	case *ast.FuncDecl:
		if fn, ok := c.info.Defs[f.Name].(*types.Func); ok {
			sig = fn.Signature()
		}
	case *ast.FuncLit:
		sig, _ = c.info.TypeOf(f).(*types.Signature)
	}
	if sig == nil || sig.Results().Len() == 0 {
		return false
	}
	return match.IsError(sig.Results().At(sig.Results().Len() - 1).Type())
}

// onceValueFix: x = E, the whole body of the if, becomes the function of
// a sync.OnceValue that takes x's name, and the getter returns x().
func (c *checker) onceValueFix(g *getter, li *lazyInit, spec *ast.ValueSpec) *analysis.SuggestedFix {
	as := li.assign()
	if len(li.ifs.Body.List) != 1 || li.ifs.Body.List[0] != as || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return nil // more than x = E
	}
	if len(g.ret.Results) != 1 || !c.isRef(g.ret.Results[0], li.ref) {
		return nil // not return x
	}
	rhs := as.Rhs[0]
	if !c.pass.AtLeast(spec.Pos(), "go1.21") {
		return nil // sync.OnceValue is new in Go 1.21
	}
	if c.mentionsOuter(rhs, g.decl, nil) || c.cycles(rhs, li.ref.root, g.fn(c.info)) {
		return nil // E needs the getter's locals, or leads back to x: an initialisation cycle
	}
	if !c.nonNil(rhs, nil) {
		// x == nil would try again after a nil E; OnceValue would keep it.
		return nil
	}
	typ, ok1 := c.src.Text(spec.Type.Pos(), spec.Type.End())
	expr, ok2 := c.src.Text(rhs.Pos(), rhs.End())
	if !ok1 || !ok2 {
		return nil // the source is unreadable
	}
	syncQ, edits, ok := fix.AddImport(c.info, g.file, spec.Pos(), "sync", "sync", "OnceValue")
	if !ok {
		return nil // package sync is shadowed or unusable here
	}
	name := li.ref.root.Name()
	edits = append(edits,
		// var x T → var x = sync.OnceValue(func() T { return E })
		analysis.TextEdit{Pos: spec.Names[0].End(), End: spec.Type.End(),
			NewText: fmt.Appendf(nil, " = %sOnceValue(func() %s {\n\treturn %s\n})", syncQ, typ, expr)},
		// if x == nil { x = E }; return x → return x()
		analysis.TextEdit{Pos: li.ifs.Pos(), End: g.ret.End(), NewText: fmt.Appendf(nil, "return %s()", name)},
	)
	return &analysis.SuggestedFix{Message: fmt.Sprintf(fixOnceValue, name), TextEdits: fix.Dedup(edits)}
}

// lazyGetterFix: the if's body, which ends with x = v and returns the
// zero value and an error on failure, becomes the New function of a
// singleton.Lazy that takes x's name, and the getter returns x.Get(ctx).
func (c *checker) lazyGetterFix(g *getter, li *lazyInit, spec *ast.ValueSpec) *analysis.SuggestedFix {
	res := g.results(c.info)
	if res.Len() != 2 || !types.Identical(res.At(0).Type(), li.ref.root.Type()) {
		return nil // not (T, error) for x's type T
	}
	if len(g.ret.Results) != 2 || !c.isRef(g.ret.Results[0], li.ref) || !c.isNil(source{e: g.ret.Results[1], index: -1}) {
		return nil // not return x, nil
	}
	stmts := li.ifs.Body.List
	last, ok := stmts[len(stmts)-1].(*ast.AssignStmt)
	if !ok || last != li.assign() || len(last.Lhs) != 1 || len(last.Rhs) != 1 {
		return nil // does not end with x = v
	}
	bodyOK := true
	ast.Inspect(li.ifs.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			bodyOK = bodyOK && len(n.Results) == 2
		case *ast.BranchStmt:
			bodyOK = bodyOK && n.Label == nil
		}
		return bodyOK
	})
	if !bodyOK {
		return nil // returns that New could not keep, or a labelled jump
	}
	var ctxVar *types.Var
	if g.hasC && !g.ctx.FromRequest {
		ctxVar = g.ctx.Var
	}
	if c.mentionsOuter(li.ifs.Body, g.decl, ctxVar) {
		return nil // the body needs the getter's locals
	}
	withoutLast := &ast.BlockStmt{List: stmts[:len(stmts)-1]}
	if c.cycles(withoutLast, li.ref.root, g.fn(c.info)) || c.cycles(last.Rhs[0], li.ref.root, g.fn(c.info)) {
		return nil // reads x while making it, or leads back to it: an initialisation cycle
	}
	if !c.nonNilSource(c.locals(li.ifs.Body), source{e: last.Rhs[0], index: -1}, 0) {
		return nil // a nil v would be tried again by x == nil, and kept by Lazy
	}
	var body strings.Builder
	for _, st := range li.ifs.Body.List {
		text, ok := c.src.Text(st.Pos(), st.End())
		if !ok {
			return nil // the source is unreadable
		}
		if st == last {
			rhs, ok := c.src.Text(last.Rhs[0].Pos(), last.Rhs[0].End())
			if !ok {
				return nil
			}
			text = "return " + rhs + ", nil" // x = v → return v, nil
		}
		body.WriteString(text + "\n")
	}
	return c.lazyEdits(g, spec, body.String(), c.ctxParam(ctxVar, li.ifs.Body), nil)
}

// ctxParam is the parameter of New that the statements of body use:
// "ctx " if body mentions v, the getter's ctx, else "" (unnamed).
func (c *checker) ctxParam(v *types.Var, body ast.Node) string {
	if v != nil && nav.Mentions(c.info, body, v) {
		return v.Name() + " "
	}
	return ""
}

// lazyEdits writes a singleton.Lazy fix: the declaration var x T, spec,
// becomes var x = singleton.Lazy[T]{New: func(ctx context.Context) (T,
// error) { body }}, the getter's body becomes return x.Get(ctx) with the
// ctx in scope (context.Background() if none), and extra edits follow.
func (c *checker) lazyEdits(g *getter, spec *ast.ValueSpec, body, ctxName string, extra []analysis.TextEdit) *analysis.SuggestedFix {
	if !c.pass.RuntimeFixes() || !c.pass.AtLeast(spec.Pos(), "go1.21") {
		return nil // the runtime is not in the build yet, or the file predates its go line
	}
	typ, ok := c.src.Text(spec.Type.Pos(), spec.Type.End())
	if !ok {
		return nil
	}
	singQ, edits, ok := fix.AddImport(c.info, g.file, spec.Pos(), singletonPath, "singleton", "Lazy")
	if !ok {
		return nil // the name is taken or shadowed
	}
	ctxQ, ctxEdits, ok := fix.AddImport(c.info, g.file, spec.Pos(), "context", "context", "Context")
	if !ok {
		return nil
	}
	edits = append(edits, ctxEdits...)
	ctxArg, msg := g.ctx.Expr, fixLazy
	if !g.hasC {
		bgQ, bgEdits, ok := fix.AddImport(c.info, g.file, g.ret.Pos(), "context", "context", "Background")
		if !ok {
			return nil
		}
		edits = append(edits, bgEdits...)
		ctxArg, msg = bgQ+"Background()", fixLazyBg
	}
	name := spec.Names[0].Name
	edits = append(edits,
		// var x T → var x = singleton.Lazy[T]{New: func(ctx context.Context) (T, error) { … }}
		analysis.TextEdit{Pos: spec.Names[0].End(), End: spec.Type.End(),
			NewText: fmt.Appendf(nil, " = %sLazy[%s]{New: func(%s%sContext) (%s, error) {\n%s}}", singQ, typ, ctxName, ctxQ, typ, body)},
		// the getter's body → return x.Get(ctx)
		analysis.TextEdit{Pos: g.decl.Body.List[0].Pos(), End: g.ret.End(), NewText: fmt.Appendf(nil, "return %s.Get(%s)", name, ctxArg)},
	)
	edits = append(edits, extra...)
	return &analysis.SuggestedFix{Message: fmt.Sprintf(msg, name), TextEdits: fix.Dedup(edits)}
}

// cycles reports whether n, moved into the initialiser of the package
// variable v, would make an initialisation cycle: it refers, through the
// package's functions and variable initialisers, to v or to the getter.
// Go orders initialisers by what they refer to, function literals
// included, and rejects a cycle.
func (c *checker) cycles(n ast.Node, v *types.Var, getter *types.Func) bool {
	inits := make(map[*types.Var]ast.Expr)
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if w, ok := c.info.Defs[id].(*types.Var); ok && i < len(vs.Values) {
						inits[w] = vs.Values[i]
					} else if ok && len(vs.Values) == 1 {
						inits[w] = vs.Values[0]
					}
				}
			}
		}
	}
	seen := make(map[types.Object]bool)
	work := []ast.Node{n}
	for len(work) > 0 {
		next := work[len(work)-1]
		work = work[:len(work)-1]
		found := false
		ast.Inspect(next, func(m ast.Node) bool {
			id, ok := m.(*ast.Ident)
			if !ok || found {
				return !found
			}
			obj := c.info.Uses[id]
			if obj == nil || seen[obj] || obj.Pkg() != c.pass.Pkg {
				return true
			}
			seen[obj] = true
			switch obj := obj.(type) {
			case *types.Var:
				if obj == v {
					found = true
				} else if e := inits[obj]; e != nil {
					work = append(work, e)
				}
			case *types.Func:
				if obj.Origin() == getter {
					found = true
				} else if fd := c.decls[obj.Origin()]; fd != nil {
					work = append(work, fd.Body)
				}
			}
			return true
		})
		if found {
			return true
		}
	}
	return false
}

// isRef reports whether e names r.
func (c *checker) isRef(e ast.Expr, r ref) bool {
	er, ok := c.refOf(e)
	return ok && er == r
}

// soleVar returns the declaration of v if a fix may replace it: v is a
// package-level variable of this package that other packages cannot use
// (unexported, or of package main), declared alone in its spec with a type
// and no value.
func (c *checker) soleVar(v *types.Var) (*ast.GenDecl, *ast.ValueSpec, bool) {
	if v.Pkg() != c.pass.Pkg || v.Exported() && c.pass.Pkg.Name() != "main" {
		return nil, nil, false
	}
	file := c.pass.File(v.Pos())
	if file == nil {
		return nil, nil, false
	}
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || !nav.Within(v.Pos(), gd) {
			continue
		}
		for _, s := range gd.Specs {
			spec := s.(*ast.ValueSpec)
			if len(spec.Names) == 1 && c.info.Defs[spec.Names[0]] == v && spec.Type != nil && len(spec.Values) == 0 {
				return gd, spec, true
			}
		}
	}
	return nil, nil, false
}

// useCount returns how many times v is used within n, or -1 if it is
// used anywhere else in the package.
func (c *checker) useCount(v *types.Var, n ast.Node) int {
	count := 0
	for id, obj := range c.info.Uses {
		if obj != v {
			continue
		}
		if !nav.Within(id.Pos(), n) {
			return -1
		}
		count++
	}
	return count
}

// mentionsOuter reports whether n refers to a parameter, result or local
// of fd declared outside n, other than allow.
func (c *checker) mentionsOuter(n ast.Node, fd *ast.FuncDecl, allow *types.Var) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		id, ok := m.(*ast.Ident)
		if !ok || found {
			return !found
		}
		obj := c.info.Uses[id]
		if obj == nil || obj == allow || obj.Pkg() != c.pass.Pkg {
			return true
		}
		if nav.Within(obj.Pos(), fd) && !nav.Within(obj.Pos(), n) {
			found = true
		}
		return true
	})
	return found
}
