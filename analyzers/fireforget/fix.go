package fireforget

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A fixer builds the task.Go fix of one go statement.
type fixer struct {
	c    *checker
	s    *start
	gs   *ast.GoStmt
	file *ast.File

	indent string // of the go statement's line
	sep    string // between the bindings and task.Go: a newline, or "; " on a crowded line

	// The binding statement: lhs[i] := rhs[i], in evaluation order. A
	// value that is evaluated but not used is bound to _.
	lhs, rhs []string
	taken    map[string]bool // names the fix declares or qualifies with
	edits    []analysis.TextEdit
}

// taskFix returns the fix that starts the goroutine of s with task.Go, if
// one preserves everything but what doc.go says it changes.
func (c *checker) taskFix(s *start) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	if !c.pass.RuntimeFixes() || s.call == nil || s.sig == nil {
		return none, false // the runtime is not available, or not a go statement of a function
	}
	if s.cur.ParentEdgeKind() == edge.LabeledStmt_Stmt {
		return none, false // a label would be left on the bindings
	}
	if id, ok := s.fun.(*ast.Ident); ok {
		if _, ok := c.info.Uses[id].(*types.Builtin); ok {
			return none, false // go println(...): a builtin has no function value
		}
	}
	if c.endsWithGoexit(s) {
		return none, false // task.Go logs a Goexit as the task's failure, where the goroutine ended quietly
	}
	gs := s.node.(*ast.GoStmt)
	f := &fixer{c: c, s: s, gs: gs, file: c.pass.File(gs.Pos()), taken: make(map[string]bool)}
	if _, _, ok := c.src.File(gs.Pos()); f.file == nil || !ok {
		return none, false // no source to copy from (e.g. a cgo-processed file)
	}
	f.layout()

	pos := gs.Pos()
	taskQ, edits, ok := fix.AddImport(c.info, f.file, pos, match.TaskPath, "task", "Go")
	if !ok {
		return none, false // the task import is shadowed here
	}
	f.edits = append(f.edits, edits...)
	ctxQ, edits, ok := fix.AddImport(c.info, f.file, pos, "context", "context", "Context")
	if !ok {
		return none, false // the context import is shadowed here
	}
	f.edits = append(f.edits, edits...)
	// A binding must not hide the qualifiers the fix writes after it.
	f.taken[strings.TrimSuffix(taskQ, ".")] = true
	f.taken[strings.TrimSuffix(ctxQ, ".")] = true

	ctxExpr := ""
	if ctx, ok := contexts.At(c.info, s.cur); ok && !ctx.FromRequest {
		ctxExpr = ctx.Expr // a variable: reading it evaluates nothing
	} else {
		// No ctx variable in scope. r.Context() would carry the request's
		// values, but evaluating it is new: on a nil request it panics
		// where the go statement did not.
		bgQ, edits, ok := fix.AddImport(c.info, f.file, pos, "context", "context", "Background")
		if !ok {
			return none, false // context.Background is shadowed here
		}
		f.edits = append(f.edits, edits...)
		ctxExpr = bgQ + "Background()"
	}
	head := fmt.Sprintf("%sGo(%s, %s, func(_ %sContext) ", taskQ, ctxExpr, strconv.Quote(c.taskName(s)), ctxQ)

	if s.lit != nil {
		ok = f.literal(head)
	} else {
		ok = f.call(head)
	}
	if !ok {
		return none, false
	}
	return analysis.SuggestedFix{Message: msgFix, TextEdits: fix.Dedup(f.edits)}, true
}

// layout finds the go statement's indentation and what separates the
// bindings from task.Go.
func (f *fixer) layout() {
	indent, alone, _ := f.c.src.Indent(f.gs.Pos())
	f.indent = indent
	f.sep = "\n" + f.indent
	if !alone {
		f.sep = "; " // case x: go f(): keep to one line
	}
}

// text returns the source of n.
func (f *fixer) text(n ast.Node) string {
	text, ok := f.c.src.Text(n.Pos(), n.End())
	if !ok {
		panic("fireforget: the source of a node of a file whose source was read")
	}
	return text
}

// fresh returns a new name based on base that shadows nothing, is
// shadowed by nothing, and is taken neither by this fix already nor by
// another fix of the pass in the same function (see fix.Names).
func (f *fixer) fresh(base string) string {
	if r, size := utf8.DecodeRuneInString(base); unicode.IsUpper(r) {
		base = string(unicode.ToLower(r)) + base[size:] // a local, not an exported name: Put → put
	}
	if !token.IsIdentifier(base) || base == "_" {
		base = "v"
	}
	name := f.c.names.Fresh(f.c.info, f.file, f.gs.Pos(), base, slices.Collect(maps.Keys(f.taken))...)
	f.taken[name] = true
	return name
}

// bind evaluates e before task.Go, into a fresh local named after base,
// and returns the local's name.
func (f *fixer) bind(e ast.Expr, base string) string {
	name := f.fresh(base)
	f.lhs = append(f.lhs, name)
	f.rhs = append(f.rhs, f.text(e))
	return name
}

// bindings returns the binding statement and its separator, or "".
func (f *fixer) bindings() string {
	if len(f.lhs) == 0 {
		return ""
	}
	op := "="
	for _, l := range f.lhs {
		if l != "_" {
			op = ":="
		}
	}
	return strings.Join(f.lhs, ", ") + " " + op + " " + strings.Join(f.rhs, ", ") + f.sep
}

// value returns the text that stands for argument e inside the task: e
// itself if it is stable, else a fresh local bound to it. ok is false for
// an untyped value whose type would change once bound.
func (f *fixer) value(e ast.Expr, base string) (string, bool) {
	if f.c.stable(f.s.cur, e) {
		return f.text(e), true
	}
	if untypedNonConst(f.c.info, e) {
		return "", false
	}
	return f.bind(e, base), true
}

// untypedNonConst reports whether e may be an untyped boolean or a shift of
// an untyped constant, whose type comes from where it is used: bound to a
// local it would get its default type instead.
func untypedNonConst(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		switch e.Op {
		case token.SHL, token.SHR:
			return info.Types[e.X].Value != nil
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return !types.Identical(nav.TypeOf(info, e), types.Typ[types.Bool])
		}
	case *ast.UnaryExpr:
		return e.Op == token.NOT && !types.Identical(nav.TypeOf(info, e), types.Typ[types.Bool])
	}
	return false
}

// baseName suggests a name for a local holding e.
func baseName(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.StarExpr:
		return baseName(e.X)
	}
	return "v"
}

// call builds the fix of go f(args).
func (f *fixer) call(head string) bool {
	c, s := f.c, f.s
	fun, ok := f.funText()
	if !ok {
		return false
	}
	args := make([]string, 0, len(s.args))
	if len(s.args) == 1 {
		if tuple, ok := nav.TypeOf(c.info, s.args[0]).(*types.Tuple); ok {
			// go f(g()): bind every result of g.
			for range tuple.Len() {
				args = append(args, f.fresh("v"))
			}
			f.lhs = append(f.lhs, args...)
			f.rhs = append(f.rhs, f.text(s.args[0]))
			s = nil // the arguments are done
		}
	}
	if s != nil {
		for _, a := range s.args {
			v, ok := f.value(a, baseName(a))
			if !ok {
				return false
			}
			args = append(args, v)
		}
	}
	callText := fun + "(" + strings.Join(args, ", ")
	if f.s.call.Ellipsis.IsValid() {
		callText += "..."
	}
	callText += ")"

	inner := f.indent + "\t"
	body := callText + "\n" + inner + "return nil"
	if res := f.s.sig.Results(); res.Len() == 1 && match.IsError(res.At(0).Type()) {
		body = "return " + callText
	} else if i := lastError(res); i >= 0 {
		lhs := make([]string, res.Len())
		for j := range lhs {
			lhs[j] = "_"
		}
		lhs[i] = "err" // declared in the task's own scope, after the call is evaluated
		body = strings.Join(lhs, ", ") + " := " + callText + "\n" + inner + "return err"
	}
	text := f.bindings() + head + "error {\n" + inner + body + "\n" + f.indent + "})"
	f.edits = append(f.edits, analysis.TextEdit{Pos: f.gs.Pos(), End: f.gs.End(), NewText: []byte(text)})
	return true
}

// lastError returns the index of the last result of type error, or -1.
func lastError(res *types.Tuple) int {
	for i := res.Len() - 1; i >= 0; i-- {
		if match.IsError(res.At(i).Type()) {
			return i
		}
	}
	return -1
}

// funText returns the text that calls the started function inside the
// task, binding the function value or method value first when evaluating
// it later could give something else.
func (f *fixer) funText() (string, bool) {
	c, fun := f.c, f.s.fun
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if selection := c.info.Selections[sel]; selection != nil && selection.Kind() == types.MethodVal {
			if f.methodStable(sel, selection) {
				return f.text(fun), true
			}
			// Binding the method value evaluates the receiver (and
			// copies it, for a value method) exactly as go did.
			return f.bind(fun, sel.Sel.Name), true
		}
	}
	if c.stable(f.s.cur, fun) {
		return f.text(fun), true // a named function, a stable func variable
	}
	return f.bind(fun, baseName(fun)), true
}

// methodStable reports whether x.m, evaluated inside the task, gives the
// method value the go statement evaluated: x is a local variable that
// nothing changes, or whose address the call takes anyway; the method is
// not promoted through an embedded field; and a value method is not
// reached through a pointer, whose target could change before the copy.
func (f *fixer) methodStable(sel *ast.SelectorExpr, selection *types.Selection) bool {
	x, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || len(selection.Index()) > 1 {
		return false // a receiver expression, or a promoted method
	}
	v, ok := f.c.info.Uses[x].(*types.Var)
	if !ok || !f.c.localVar(f.s.cur, v) {
		return false // not a local variable
	}
	_, ptrRecv := selection.Obj().(*types.Func).Signature().Recv().Type().(*types.Pointer)
	_, xPtr := v.Type().Underlying().(*types.Pointer)
	switch {
	case ptrRecv && !xPtr:
		return true // &x: the same variable now and later
	case !ptrRecv && xPtr:
		return false // *x is copied when the go statement runs
	}
	return !f.c.mutated(f.s.cur)[v]
}

// taskName names the task after the function it runs: pkg.F or pkg.T.M,
// or, for a function literal or value, the function that starts it.
func (c *checker) taskName(s *start) string {
	fn := s.fn
	if fn == nil || s.lit != nil {
		fn, _ = c.enclosingDecl(s.cur)
	}
	if fn == nil {
		return c.pass.Pkg.Name()
	}
	name := fn.Name()
	if recv := match.Receiver(fn); recv != nil {
		name = recv.Obj().Name() + "." + name
	}
	if fn.Pkg() != nil {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// endsWithGoexit reports whether the function s starts calls
// runtime.Goexit itself (outside nested function literals): a task that
// does is reported as failed ("task: runtime.Goexit called"), since in a
// task Goexit is mostly t.FailNow on the wrong goroutine, but the goroutine
// it was ended quietly. Only the started literal or same-package
// function's own body is seen; a Goexit deeper down is not.
func (c *checker) endsWithGoexit(s *start) bool {
	var body *ast.BlockStmt
	switch {
	case s.impl != nil:
		body = s.impl.Body
	case s.fn != nil:
		if decl, ok := c.decls[s.fn]; ok {
			body = decl.Body
		}
	}
	if body == nil {
		return false // nothing to look at
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // runs elsewhere, or not at all
		case *ast.CallExpr:
			if match.IsFunc(match.Callee(c.info, n), "runtime", "Goexit") {
				found = true
			}
		}
		return !found
	})
	return found
}
