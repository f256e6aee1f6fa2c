package envflag

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

const msgDeferFix = "Defer the reset and remove the ones made by hand"

// deferFix returns the fix of an unrestored state: one defer of the reset
// right after the set, and no reset by hand. It is offered only when that
// changes nothing but the paths that missed the reset:
//
//   - the state is set once, not in a loop, and every reset comes after
//     the set on every path to it (the set dominates the resets);
//   - the resets are not a rollback (made only on failure paths, where the
//     state is meant to stay set when the function succeeds), nor made
//     only when os.LookupEnv found the variable;
//   - every reset writes the same thing, as a statement of its own, with
//     arguments that keep their value, so deferring one is the same write;
//   - no defer is registered after the set (it would now run before the
//     reset instead of after it);
//   - after each reset, nothing that runs before the function returns can
//     tell the difference: no call (but builtins, conversions and a few
//     formatting functions of the standard library), no channel operation,
//     no go statement, no read of the flag;
//   - a plain bool is not written under a lock (the deferred write would
//     not hold it).
//
// For a restore function of runtime/coord, which may be called twice, the
// fix only adds defer lower() after the set and keeps the calls by hand.
func (c *checker) deferFix(f *function, g *graph, st *state, set *write, r reach) (analysis.SuggestedFix, bool) {
	none := analysis.SuggestedFix{}
	if r.again || len(st.sets) != 1 {
		return none, false // set twice, or in a loop: one defer is not the same
	}
	if r.pruned {
		return none, false // the reset is conditional: a defer would make it unconditional
	}
	at, ok := c.afterSet(f, set)
	if !ok {
		return none, false
	}
	indent, _, ok := c.src.Indent(at.stmt.Pos())
	if !ok {
		return none, false
	}
	indent += at.indent
	if st.key.kind == kindRestore {
		v := st.key.obj.(*types.Var)
		if !f.stable(c, v) {
			return none, false // reassigned: which function the defer calls would change
		}
		return analysis.SuggestedFix{
			Message:   "Defer " + v.Name() + "()",
			TextEdits: []analysis.TextEdit{fix.Insert(at.pos, "\n"+indent+"defer "+v.Name()+"()")},
		}, true
	}
	if c.resetBeforeSet(g, st, set) || len(r.resets) != len(st.resets) {
		return none, false // a reset on a path without the set: deleting it changes that path
	}
	if slices.ContainsFunc(f.deferStmts(), func(d *ast.DeferStmt) bool { return d.Pos() > set.node.Pos() }) {
		return none, false // a later defer would now run before the reset
	}
	if st.key.kind == kindVar && st.sets[0].call() == nil && c.locks(f) {
		return none, false // a plain bool under a lock
	}
	var text string
	var edits []analysis.TextEdit
	for _, w := range st.resets {
		t, stmt, ok := c.resetStmt(f, w)
		if !ok || text != "" && t != text {
			return none, false // not one same write
		}
		text = t
		from, to, ok := c.wholeLines(stmt)
		if !ok {
			return none, false
		}
		l, ok := g.locate(w.at.Pos())
		if !ok || !c.quietAfter(l, st) {
			return none, false // the code after the reset could tell
		}
		edits = append(edits, analysis.TextEdit{Pos: from, End: to})
	}
	edits = append(edits, fix.Insert(at.pos, "\n"+indent+"defer "+text))
	return analysis.SuggestedFix{Message: msgDeferFix, TextEdits: edits}, true
}

func (w *write) call() *ast.CallExpr {
	call, _ := w.node.(*ast.CallExpr)
	return call
}

// An insertion is where the defer goes: after stmt's line (pos), or at
// the start of a block, with more indentation.
type insertion struct {
	stmt   ast.Stmt
	pos    token.Pos
	indent string
}

// afterSet returns where a statement that must run exactly when set has
// happened goes: after the statement that makes it, after the if
// statement whose other branch leaves when it failed, or first in the
// branch where it succeeded.
func (c *checker) afterSet(f *function, set *write) (insertion, bool) {
	cur, ok := f.cur.FindNode(set.node)
	if !ok {
		return insertion{}, false
	}
	stmt := cur
	if _, ok := set.node.(*ast.CallExpr); ok {
		stmt = cur.Parent()
	}
	after := func(s inspector.Cursor) (insertion, bool) {
		if !inList(s) {
			return insertion{}, false
		}
		pos, ok := c.src.LineEnd(s.Node().End())
		return insertion{stmt: s.Node().(ast.Stmt), pos: pos}, ok
	}
	switch n := stmt.Node().(type) {
	case *ast.ExprStmt:
		return after(stmt)
	case *ast.AssignStmt:
		if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
			return insertion{}, false // more than one write
		}
		if set.errVar == nil {
			if set.key.kind == kindEnv && !isBlank(n.Lhs[0]) {
				return insertion{}, false // the error goes somewhere unseen
			}
			return after(stmt)
		}
		// err := os.Setenv(k, v) then if err != nil { return … }, or the
		// same with the assignment as the if statement's init.
		ifCur := stmt.Parent()
		if ifs, ok := ifCur.Node().(*ast.IfStmt); !ok || ifs.Init != n {
			var found bool
			ifCur, found = stmt.NextSibling()
			if !found {
				return insertion{}, false
			}
		}
		if ifs, ok := ifCur.Node().(*ast.IfStmt); ok && c.leavesOnError(ifs, set.errVar) {
			return after(ifCur)
		}
		return insertion{}, false
	}
	if set.ours >= 0 {
		var ifCur inspector.Cursor
		for p := range cur.Enclosing((*ast.IfStmt)(nil)) {
			ifCur = p
			break
		}
		ifs, _ := ifCur.Node().(*ast.IfStmt)
		if ifs == nil || !nav.Within(set.node.Pos(), ifs.Cond) {
			return insertion{}, false
		}
		if set.ours == 0 {
			pos, ok := c.src.LineEnd(ifs.Body.Lbrace + 1)
			return insertion{stmt: ifs, pos: pos, indent: "\t"}, ok
		}
		if ifs.Else == nil && c.terminates(ifs.Body) {
			return after(ifCur)
		}
	}
	return insertion{}, false
}

// leavesOnError reports whether ifs is if err != nil { … } on errVar,
// with no else, and its body does not fall through.
func (c *checker) leavesOnError(ifs *ast.IfStmt, errVar *types.Var) bool {
	branch, ok := c.errBranch(ast.Unparen(ifs.Cond), errVar)
	return ok && branch == 1 && ifs.Else == nil && c.terminates(ifs.Body)
}

// terminates reports whether control never falls out of the end of b.
func (c *checker) terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		return ok && c.ending(call) != endNone
	}
	return false
}

// inList reports whether the statement at cur is an element of a
// statement list, where a statement can be inserted after it or deleted.
func inList(cur inspector.Cursor) bool {
	switch cur.Parent().Node().(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return true
	}
	return false
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// resetStmt returns the text of the write a reset statement performs, for
// a defer — os.Unsetenv("K"), flag.Store(false), func() { ok = false }()
// — and the statement to delete. The reset must be a statement of its
// own, whose operands keep their values until the function returns.
func (c *checker) resetStmt(f *function, w *write) (string, ast.Stmt, bool) {
	if w.how != direct {
		return "", nil, false // a helper may do more than reset
	}
	cur, ok := f.cur.FindNode(w.node)
	if !ok {
		return "", nil, false
	}
	stmtCur := cur
	if _, ok := w.node.(*ast.CallExpr); ok {
		stmtCur = cur.Parent()
	}
	if !inList(stmtCur) {
		return "", nil, false // in an if or for header, or labelled
	}
	stmt := stmtCur.Node().(ast.Stmt)
	switch s := stmt.(type) {
	case *ast.ExprStmt:
	case *ast.AssignStmt:
		if len(s.Lhs) != 1 || len(s.Rhs) != 1 || w.call() != nil && !isBlank(s.Lhs[0]) {
			return "", nil, false // the result is used
		}
	default:
		return "", nil, false
	}
	if call := w.call(); call != nil {
		if !c.keepsValue(f, call.Fun) || slices.ContainsFunc(call.Args, func(a ast.Expr) bool { return !c.keepsValue(f, a) }) {
			return "", nil, false
		}
		text, ok := c.src.Text(call.Pos(), call.End())
		return text, stmt, ok
	}
	as := stmt.(*ast.AssignStmt)
	if _, _, direct := c.globalRef(as.Lhs[0]); !direct {
		return "", nil, false // through a pointer that may change
	}
	text, ok := c.src.Text(as.Pos(), as.End())
	return "func() { " + text + " }()", stmt, ok
}

// keepsValue reports whether evaluating e later, in a defer, gives what
// evaluating it now does: constants, functions, local variables assigned
// once, addresses that do not move (of package-level variables and their
// fields reached without a pointer), and methods of those. The value of a
// package-level variable may change meanwhile.
func (c *checker) keepsValue(f *function, e ast.Expr) bool {
	e = ast.Unparen(e)
	if tv, ok := c.info.Types[e]; ok && tv.Value != nil {
		return true // a constant
	}
	switch e := e.(type) {
	case *ast.Ident:
		switch obj := c.info.Uses[e].(type) {
		case *types.Func, *types.Nil:
			return true
		case *types.Var:
			return nav.IsLocal(obj) && f.stable(c, obj)
		}
	case *ast.UnaryExpr:
		return e.Op == token.AND && c.fixedAddress(f, e.X)
	case *ast.SelectorExpr:
		sel := c.info.Selections[e]
		if sel == nil {
			_, isFunc := c.info.Uses[e.Sel].(*types.Func)
			return isFunc // pkg.F, not pkg.V
		}
		if sel.Kind() != types.MethodVal {
			return false // a field's value
		}
		if _, ptr := sel.Obj().Type().(*types.Signature).Recv().Type().(*types.Pointer); ptr && !sel.Indirect() {
			return c.fixedAddress(f, e.X) // the method value takes &x
		}
		return c.keepsValue(f, e.X)
	}
	return false
}

// fixedAddress reports whether &e is the same address later: e is a
// package-level variable or a field of one reached without a pointer, or a
// local variable assigned once.
func (c *checker) fixedAddress(f *function, e ast.Expr) bool {
	if _, _, direct := c.globalRef(e); direct {
		return true
	}
	v := c.localVar(e)
	return v != nil && f.stable(c, v)
}

// wholeLines returns the range of the lines stmt occupies, if nothing
// else is on them.
func (c *checker) wholeLines(stmt ast.Stmt) (token.Pos, token.Pos, bool) {
	if _, alone, ok := c.src.Indent(stmt.Pos()); !ok || !alone {
		return token.NoPos, token.NoPos, false
	}
	if _, ok := c.src.LineEnd(stmt.End()); !ok {
		return token.NoPos, token.NoPos, false
	}
	next, ok := c.src.NextLine(stmt.End())
	if !ok {
		return token.NoPos, token.NoPos, false
	}
	return c.src.LineStart(stmt.Pos()), next, true
}

// resetBeforeSet reports whether a path on which the set has not happened
// meets a reset.
func (c *checker) resetBeforeSet(g *graph, st *state, set *write) bool {
	resets := make(map[ast.Node]bool)
	for _, w := range st.resets {
		if l, ok := g.locate(w.at.Pos()); ok {
			resets[l.node()] = true
		}
	}
	found := false
	w := c.withoutSet(g, set)
	w.visit = func(n ast.Node) bool {
		if resets[n] {
			found, w.stop = true, true
		}
		return w.goesOn(n)
	}
	w.walk(loc{g.cfg.Blocks[0], 0})
	return found
}

// quietAfter reports whether the code reachable after the node at l can
// run with the state still set without anyone telling: it makes no call
// but of builtins, conversions and a few pure functions, sends and
// receives nothing, starts no goroutine and does not read the flag.
func (c *checker) quietAfter(l loc, st *state) bool {
	quiet := true
	w := &walker{}
	w.visit = func(n ast.Node) bool {
		quiet = c.quiet(n, st)
		w.stop = !quiet
		return quiet
	}
	w.walk(after(l, -1))
	return quiet
}

// pure are the functions deemed not to observe process-wide state. The
// fmt ones call the String and Error methods of their operands, which are
// assumed not to read flags or the environment.
var pure = match.APIs{
	{Pkg: "errors", Names: []string{"New", "Join", "Is", "As", "Unwrap"}},
	{Pkg: "fmt", Names: []string{"Errorf", "Sprintf", "Sprint", "Sprintln"}},
	{Pkg: "strconv", Names: []string{"Itoa", "Quote", "FormatInt", "FormatBool"}},
}

var pureBuiltins = []string{"len", "cap", "append", "make", "new", "min", "max", "complex", "real", "imag"}

func (c *checker) quiet(n ast.Node, st *state) bool {
	ok := true
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a value; calling it is a call
		case *ast.CallExpr:
			switch {
			case c.info.Types[n.Fun].IsType():
			case slices.ContainsFunc(pureBuiltins, func(b string) bool { return nav.IsBuiltin(c.info, n, b) }):
			case pure.Has(match.Callee(c.info, n)):
			default:
				ok = false
			}
		case *ast.UnaryExpr:
			ok = n.Op != token.ARROW
		case *ast.SendStmt, *ast.GoStmt, *ast.DeferStmt:
			ok = false
		case *ast.Ident:
			ok = st.key.kind != kindVar || c.info.Uses[n] != st.key.obj
		}
		return ok
	})
	return ok
}

// deferStmts returns f's own defer statements.
func (f *function) deferStmts() []*ast.DeferStmt {
	var ds []*ast.DeferStmt
	for cur := range f.cur.Preorder((*ast.DeferStmt)(nil)) {
		if fc, ok := nav.EnclosingFunc(cur); ok && fc.Node() == f.node {
			ds = append(ds, cur.Node().(*ast.DeferStmt))
		}
	}
	return ds
}

var lockMethods = match.APIs{
	{Pkg: "sync", Recv: "Mutex", Names: []string{"Lock", "TryLock"}},
	{Pkg: "sync", Recv: "RWMutex", Names: []string{"Lock", "RLock", "TryLock", "TryRLock"}},
}

// locks reports whether f takes a lock.
func (c *checker) locks(f *function) bool {
	for cur := range f.cur.Preorder((*ast.CallExpr)(nil)) {
		if lockMethods.Has(match.Callee(c.info, cur.Node().(*ast.CallExpr))) {
			return true
		}
	}
	return false
}
