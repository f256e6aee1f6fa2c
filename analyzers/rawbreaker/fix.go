package rawbreaker

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// jitterFix wraps the delay d in retry.Jitter: each wait becomes a random
// duration in [0, d), which is the change no-jitter names.
func (c *checker) jitterFix(d ast.Expr) (analysis.SuggestedFix, bool) {
	pass := c.pass
	if !pass.RuntimeFixes() || !pass.AtLeast(d.Pos(), runtimeGo) {
		return analysis.SuggestedFix{}, false // the runtime cannot be imported here
	}
	if !isDuration(pass.TypesInfo.TypeOf(d)) {
		return analysis.SuggestedFix{}, false // a clock's own duration type
	}
	prefix, edits, ok := fix.AddImport(pass.TypesInfo, pass.File(d.Pos()), d.Pos(), retryPath, "retry", "Jitter")
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	edits = append(edits, fix.Insert(d.Pos(), prefix+"Jitter("), fix.Insert(d.End(), ")"))
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Wait %sJitter(d), a random time below the delay", prefix),
		TextEdits: fix.Dedup(edits),
	}, true
}

// runtimeGo is the runtime module's go line: a fix that imports the
// runtime into an older module would raise its go line.
const runtimeGo = "go1.21"

func isDuration(t types.Type) bool { return t != nil && match.IsNamed(t, "time", "Duration") }

// perCallFix shares the breaker through breaker.Get under a name of its
// own (the package, function and variable), so that its state now
// accumulates across calls — the change per-call names. It is offered for
// the runtime's zero Breaker, and for gobreaker's NewCircuitBreaker when
// every setting maps one to one onto breaker.Settings and the breaker's
// one use is an Execute, which becomes breaker.Execute with a context
// that is never cancelled (gobreaker's Execute takes none). name is the
// registry name; the caller has checked that no other fix in the package
// chose it.
func (c *checker) perCallFix(cons *construction, h *holding, name string) (analysis.SuggestedFix, bool) {
	pass := c.pass
	pos := cons.expr.Pos()
	if h.v == nil || !pass.RuntimeFixes() || !pass.AtLeast(pos, runtimeGo) {
		return analysis.SuggestedFix{}, false
	}
	file := pass.File(pos)
	prefix, edits, ok := fix.AddImport(pass.TypesInfo, file, pos, breakerPath, "breaker", "Get")
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	var more []analysis.TextEdit
	switch cons.kind {
	case consZero:
		more, ok = c.zeroFix(cons, h, prefix, name)
	case consLibrary:
		more, ok = c.gobreakerFix(cons, h, file, prefix, name, edits)
	default:
		ok = false // a hand-rolled breaker's settings do not map
	}
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Share one breaker: %sGet(%q, …)", prefix, name),
		TextEdits: fix.Dedup(append(edits, more...)),
	}, true
}

// registryName is the name a fix registers the breaker under, or "" if
// the construction is not in a named function.
func (c *checker) registryName(cons *construction, h *holding) string {
	decl := nav.DeclName(c.pass.File(cons.expr.Pos()), cons.expr.Pos())
	if decl == "" || h.v == nil {
		return ""
	}
	return match.PkgPath(c.pass.Pkg) + "." + decl + "." + h.v.Name()
}

// zeroFix replaces var b breaker.Breaker, b := breaker.Breaker{},
// b := &breaker.Breaker{} or b := new(breaker.Breaker) with b, _ :=
// breaker.Get(name, breaker.Settings{}), and &b with b. Get's error is
// discarded: it reports only different settings under one name, and this
// name is this variable's own.
func (c *checker) zeroFix(cons *construction, h *holding, prefix, name string) ([]analysis.TextEdit, bool) {
	get := fmt.Sprintf("%s, _ := %sGet(%q, %sSettings{})", h.v.Name(), prefix, name, prefix)
	var edits []analysis.TextEdit
	switch def := h.def.(type) {
	case *ast.ValueSpec:
		decl, ok := c.declStmt(cons.cur)
		if !ok {
			return nil, false
		}
		edits = append(edits, fix.Replace(decl, get))
	case *ast.AssignStmt:
		if def.Tok != token.DEFINE || len(def.Lhs) != 1 {
			return nil, false // assigns a variable declared elsewhere, with its type
		}
		edits = append(edits, fix.Replace(def, get))
	default:
		return nil, false
	}
	for _, id := range h.refs {
		cur, _ := c.insp.Root().FindNode(id)
		if ue, ok := cur.Parent().Node().(*ast.UnaryExpr); ok && ue.Op == token.AND {
			edits = append(edits, fix.Replace(ue, id.Name)) // &b is now b
		}
	}
	return edits, true
}

// declStmt returns the var declaration statement of the spec at cur, if
// it declares nothing else.
func (c *checker) declStmt(cur inspector.Cursor) (*ast.DeclStmt, bool) {
	gd, ok := cur.Parent().Node().(*ast.GenDecl)
	if !ok || len(gd.Specs) != 1 {
		return nil, false
	}
	decl, ok := cur.Parent().Parent().Node().(*ast.DeclStmt)
	return decl, ok
}

// gobreakerFix rewrites cb := gobreaker.NewCircuitBreaker[T](gobreaker.Settings{…})
// and its one use, cb.Execute(f), to cb, _ := breaker.Get(name,
// breaker.Settings{…}) and breaker.Execute(context.Background(), cb,
// func(context.Context) (T, error) { return f() }) — or, for a function
// literal f, f with a context.Context parameter.
func (c *checker) gobreakerFix(cons *construction, h *holding, file *ast.File, prefix, name string, imports []analysis.TextEdit) ([]analysis.TextEdit, bool) {
	info := c.pass.TypesInfo
	call := cons.expr.(*ast.CallExpr)
	fn := match.Callee(info, call)
	v2 := match.IsFunc(fn, gobreakerV2, "NewCircuitBreaker")
	if !v2 && !match.IsFunc(fn, gobreakerV1, "NewCircuitBreaker") || len(call.Args) != 1 || len(h.refs) != 1 {
		return nil, false
	}
	resultType := "interface{}"
	if v2 {
		ix, ok := ast.Unparen(call.Fun).(*ast.IndexExpr)
		if !ok {
			return nil, false
		}
		resultType, ok = c.src.Text(ix.Index.Pos(), ix.Index.End())
		if !ok {
			return nil, false
		}
	}
	lit, ok := ast.Unparen(call.Args[0]).(*ast.CompositeLit)
	if !ok || lit.Type == nil {
		return nil, false // settings built elsewhere: we cannot read them
	}
	edits, replaced, ok := c.mapSettings(lit, h, prefix)
	if !ok {
		return nil, false
	}
	// The definition: cb := … becomes cb, _ := breaker.Get(name, breaker.Settings{…}).
	switch def := h.def.(type) {
	case *ast.AssignStmt:
		if def.Tok != token.DEFINE || len(def.Lhs) != 1 {
			return nil, false
		}
		edits = append(edits, fix.Insert(def.Lhs[0].End(), ", _"))
	case *ast.ValueSpec:
		if def.Type != nil || len(def.Names) != 1 {
			return nil, false
		}
		edits = append(edits, fix.Insert(def.Names[0].End(), ", _"))
	default:
		return nil, false
	}
	edits = append(edits, analysis.TextEdit{Pos: call.Fun.Pos(), End: lit.Type.End(), NewText: fmt.Appendf(nil, "%sGet(%q, %sSettings", prefix, name, prefix)})

	// The use: cb.Execute(f).
	use, _ := c.insp.Root().FindNode(h.refs[0])
	sel, ok := use.Parent().Node().(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Execute" {
		return nil, false
	}
	exec, ok := use.Parent().Parent().Node().(*ast.CallExpr)
	if !ok || len(exec.Args) != 1 || exec.Ellipsis.IsValid() {
		return nil, false
	}
	ctxPrefix, ctxEdits, ok := fix.AddImport(info, file, exec.Pos(), "context", "context", "Background")
	if !ok {
		return nil, false
	}
	edits = append(edits, ctxEdits...)
	arg := ast.Unparen(exec.Args[0])
	var argText string
	switch a := arg.(type) {
	case *ast.FuncLit:
		if a.Type.Params.NumFields() != 0 {
			return nil, false
		}
		text, ok := c.src.Text(a.Pos(), a.End())
		if !ok {
			return nil, false
		}
		// func() (T, error) {…} becomes func(context.Context) (T, error) {…}.
		off := int(a.Type.Params.Opening - a.Pos())
		argText = text[:off+1] + ctxPrefix + "Context" + text[off+1:]
	case *ast.Ident, *ast.SelectorExpr:
		if !c.pureFunc(a) {
			return nil, false
		}
		text, ok := c.src.Text(a.Pos(), a.End())
		if !ok {
			return nil, false
		}
		argText = fmt.Sprintf("func(%sContext) (%s, error) { return %s() }", ctxPrefix, resultType, text)
	default:
		return nil, false // evaluating it inside a closure would move its side effects
	}
	edits = append(edits, analysis.TextEdit{Pos: exec.Pos(), End: exec.End(),
		NewText: fmt.Appendf(nil, "%sExecute(%sBackground(), %s, %s)", prefix, ctxPrefix, h.v.Name(), argText)})
	if rm, ok := c.dropImport(file, fn.Pkg(), append(replaced, call.Fun, lit.Type, exec)...); ok {
		for _, e := range append(imports, edits...) {
			if rm[0].Pos < e.Pos && e.Pos < rm[0].End {
				// An import added on the line: delete only the spec's
				// text, and leave the blank line to gofmt.
				rm = []analysis.TextEdit{{Pos: rm[1].Pos, End: rm[1].End}}
				break
			}
		}
		edits = append(edits, rm[0])
	}
	return edits, true
}

// pureFunc reports whether e names a function, or a local variable
// holding one: evaluating it later, inside a closure, changes nothing.
func (c *checker) pureFunc(e ast.Expr) bool {
	info := c.pass.TypesInfo
	var obj types.Object
	switch e := e.(type) {
	case *ast.Ident:
		obj = info.Uses[e]
	case *ast.SelectorExpr:
		if _, ok := info.Selections[e]; ok {
			return false // a method value or a field: its receiver is evaluated now
		}
		obj = info.Uses[e.Sel]
	}
	switch obj := obj.(type) {
	case *types.Func:
		return true
	case *types.Var:
		return nav.IsLocal(obj)
	}
	return false
}

// mapSettings returns the edits that make a gobreaker.Settings literal a
// breaker.Settings one, or false if a setting does not map one to one:
// Name is the registry's (dropped), BucketPeriod must be unset (no
// rolling window), OnStateChange must be unset (its State type differs),
// MaxRequests, Interval and Timeout must be constants (so that every call
// asks Get for the same settings), and the funcs must be literals or
// package-level functions that capture nothing of the call, ReadyToTrip's
// parameter used only for the counts both Counts types share.
func (c *checker) mapSettings(lit *ast.CompositeLit, h *holding, prefix string) (edits []analysis.TextEdit, replaced []ast.Node, ok bool) {
	info := c.pass.TypesInfo
	var drop []int
	for i, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, nil, false
		}
		key, _ := kv.Key.(*ast.Ident)
		if key == nil {
			return nil, nil, false
		}
		isConst := info.Types[kv.Value].Value != nil
		switch key.Name {
		case "Name":
			if !isConst {
				return nil, nil, false // a name per call (per host): one shared breaker would merge them
			}
			drop = append(drop, i)
		case "BucketPeriod":
			if !isZeroConst(info, kv.Value) {
				return nil, nil, false // a rolling window, which the runtime does not have
			}
			drop = append(drop, i)
		case "MaxRequests", "Interval", "Timeout":
			if !isConst {
				return nil, nil, false
			}
		case "IsSuccessful", "IsExcluded":
			if !c.capturesNothing(kv.Value, h.fn.Node()) {
				return nil, nil, false
			}
		case "ReadyToTrip":
			e, ok := c.readyToTrip(kv.Value, h.fn.Node(), prefix)
			if !ok {
				return nil, nil, false
			}
			edits = append(edits, e)
			replaced = append(replaced, kv.Value)
		default:
			return nil, nil, false // OnStateChange, or a setting we do not know
		}
	}
	for _, i := range drop {
		edits = append(edits, c.deleteElt(lit, i))
		replaced = append(replaced, lit.Elts[i])
	}
	return edits, replaced, true
}

// deleteElt deletes the i-th element of lit with its separator.
func (c *checker) deleteElt(lit *ast.CompositeLit, i int) analysis.TextEdit {
	switch {
	case len(lit.Elts) == 1:
		return analysis.TextEdit{Pos: lit.Lbrace + 1, End: lit.Rbrace}
	case i+1 < len(lit.Elts):
		return analysis.TextEdit{Pos: lit.Elts[i].Pos(), End: lit.Elts[i+1].Pos()}
	default:
		return analysis.TextEdit{Pos: lit.Elts[i-1].End(), End: lit.Elts[i].End()}
	}
}

// capturesNothing reports whether the func expression e is a package-level
// function, or a literal that mentions no variable of the function fn
// declared outside it: later calls of Get keep the first call's funcs.
func (c *checker) capturesNothing(e ast.Expr, fn ast.Node) bool {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident, *ast.SelectorExpr:
		var id *ast.Ident
		if sel, ok := e.(*ast.SelectorExpr); ok {
			id = sel.Sel
		} else {
			id = e.(*ast.Ident)
		}
		f, ok := info.Uses[id].(*types.Func)
		return ok && f.Signature().Recv() == nil
	case *ast.FuncLit:
		ok := true
		ast.Inspect(e.Body, func(n ast.Node) bool {
			if id, isID := n.(*ast.Ident); isID {
				if v, isVar := info.Uses[id].(*types.Var); isVar && nav.IsLocal(v) && nav.Within(v.Pos(), fn) && !nav.Within(v.Pos(), e) {
					ok = false
				}
			}
			return ok
		})
		return ok
	}
	return false
}

// readyToTrip returns the edit that retypes a ReadyToTrip literal's
// parameter from gobreaker.Counts to breaker.Counts, if the literal uses it
// only for fields both types have and names nothing else of gobreaker.
func (c *checker) readyToTrip(e ast.Expr, fn ast.Node, prefix string) (analysis.TextEdit, bool) {
	info := c.pass.TypesInfo
	lit, ok := ast.Unparen(e).(*ast.FuncLit)
	if !ok || !c.capturesNothing(lit, fn) || len(lit.Type.Params.List) != 1 || len(lit.Type.Params.List[0].Names) > 1 {
		return analysis.TextEdit{}, false
	}
	field := lit.Type.Params.List[0]
	var param types.Object
	if len(field.Names) == 1 {
		param = info.Defs[field.Names[0]]
	}
	shared := map[string]bool{"Requests": true, "TotalSuccesses": true, "TotalFailures": true, "ConsecutiveSuccesses": true, "ConsecutiveFailures": true}
	ok = true
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, isID := ast.Unparen(n.X).(*ast.Ident); isID && param != nil && info.Uses[id] == param {
				ok = ok && shared[n.Sel.Name]
				return false
			}
		case *ast.Ident:
			if param != nil && info.Uses[n] == param {
				ok = false // the counts go somewhere as a gobreaker.Counts
			}
			if obj := info.Uses[n]; obj != nil && obj.Pkg() != nil && under(match.PkgPath(obj.Pkg()), gobreakerV1) && !isField(obj) {
				ok = false // names another gobreaker identifier
			}
		}
		return ok
	})
	if !ok {
		return analysis.TextEdit{}, false
	}
	return fix.Replace(field.Type, prefix+"Counts"), true
}

func isField(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && v.IsField()
}

// dropImport returns the edit that deletes file's import of pkg when the
// nodes replaced by the fix hold every use of it.
func (c *checker) dropImport(file *ast.File, pkg *types.Package, replaced ...ast.Node) ([]analysis.TextEdit, bool) {
	info := c.pass.TypesInfo
	var spec *ast.ImportSpec
	for _, s := range file.Imports {
		if path, _ := strconv.Unquote(s.Path.Value); path == pkg.Path() {
			spec = s
		}
	}
	if spec == nil {
		return nil, false
	}
	pkgName := info.PkgNameOf(spec)
	used := false
	ast.Inspect(file, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || used {
			return !used
		}
		if info.Uses[id] == pkgName {
			inside := false
			for _, r := range replaced {
				inside = inside || nav.Within(id.Pos(), r)
			}
			used = !inside
		}
		return !used
	})
	if used || pkgName == nil {
		return nil, false
	}
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue // not an import declaration
		}
		for _, s := range gd.Specs {
			if s != spec {
				continue // another import
			}
			if !gd.Lparen.IsValid() {
				return c.deleteLines(gd), true
			}
			return c.deleteLines(spec), true
		}
	}
	return nil, false
}

// deleteLines returns the edit that deletes the physical lines n spans,
// if it is alone on them (else n's text), and the edit that deletes n's
// text only.
func (c *checker) deleteLines(n ast.Node) []analysis.TextEdit {
	text := analysis.TextEdit{Pos: n.Pos(), End: n.End()}
	start := c.src.LineStart(n.Pos())
	end, ok := c.src.NextLine(n.End())
	if before, tok := c.src.Text(start, n.Pos()); !tok || strings.TrimSpace(before) != "" || !ok {
		return []analysis.TextEdit{text, text}
	}
	return []analysis.TextEdit{{Pos: start, End: end}, text}
}
