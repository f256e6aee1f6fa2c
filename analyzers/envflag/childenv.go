package envflag

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

var (
	execCommand = match.API{Pkg: "os/exec", Names: []string{"Command", "CommandContext"}}
	execStart   = match.API{Pkg: "os/exec", Recv: "Cmd", Names: []string{"Start", "Run", "Output", "CombinedOutput"}}
	// envViews are the calls that see the whole environment.
	envViews = match.APIs{
		{Pkg: "os", Names: []string{"Environ", "ExpandEnv", "Expand"}},
		{Pkg: "os/exec", Recv: "Cmd", Names: []string{"Environ"}},
	}
)

// A start is a child process started from f's own code: cmd.Run() and
// the like.
type start struct {
	call *ast.CallExpr
	cmd  *types.Var // the local variable holding the *exec.Cmd, or nil for exec.Command(…).Run()
}

// childEnv reports the os.Setenv calls of f whose variable reaches a child
// process that f starts before resetting it.
func (c *checker) childEnv(f *function) {
	for _, w := range f.writes {
		call := w.call()
		if call == nil || !w.own || w.how != direct || w.key.kind != kindEnv || w.val != valConst && w.val != valOther {
			continue // not an os.Setenv(k, v) of f's own
		}
		if !w.key.keyed() {
			continue // which variable is unknown
		}
		starts := c.startsAfter(f, w)
		if len(starts) == 0 {
			continue // no child sees it
		}
		if w.key.name == "PATH" {
			continue // exec.Command itself looks the command up in PATH: not only the child's
		}
		resets := f.envResets(w.key)
		if len(resets) == 0 && isMain(c.pass.Pkg, f) {
			continue // set for the rest of a command's life, children included
		}
		cmd := "the command's "
		if s := starts[0]; s.cmd != nil {
			cmd = s.cmd.Name() + "."
		}
		d := analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(),
			Message: fmt.Sprintf("%s passes %s to the child process started by %s, but sets it for the whole process: other goroutines and every other child see it too; set %sEnv instead",
				c.callName(w), c.envName(w), c.startName(starts[0]), cmd),
		}
		for _, s := range starts {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: s.call.Pos(), End: s.call.End(), Message: "the child process starts here"})
		}
		if fx, ok := c.cmdEnvFix(f, w, starts, resets); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fx}
		}
		c.pass.Report(ruleChildEnv, d)
		c.reported[call] = true
	}
}

func (c *checker) startName(s start) string {
	sel := s.call.Fun.(*ast.SelectorExpr)
	if s.cmd != nil {
		return s.cmd.Name() + "." + sel.Sel.Name
	}
	return "exec.Cmd." + sel.Sel.Name
}

// isMain reports whether f is the function main of a main package.
func isMain(pkg *types.Package, f *function) bool {
	fd, ok := f.node.(*ast.FuncDecl)
	return ok && pkg.Name() == "main" && fd.Recv == nil && fd.Name.Name == "main"
}

// envResets returns f's own writes of the environment variable k that undo
// a set: os.Unsetenv(k), os.Setenv(k, ""), os.Setenv(k, old).
func (f *function) envResets(k key) []*write {
	var ws []*write
	for _, w := range f.writes {
		if w.key == k && w.own && (w.val == valUnset || w.val == valEmpty || w.val == valSaved) {
			ws = append(ws, w)
		}
	}
	return ws
}

// startsAfter returns the children that f's own code starts on a path
// from set before the variable is reset or set again, that inherit f's
// environment: the command's Env is not set, or is set from it.
func (c *checker) startsAfter(f *function, set *write) []start {
	cmds := c.commands(f)
	if len(cmds) == 0 {
		return nil // f starts no command
	}
	g := c.graphOf(f)
	l, ok := g.locate(set.at.Pos())
	if !ok {
		return nil
	}
	stops := make(map[ast.Node]bool)
	for _, w := range f.writes {
		if w.key == set.key && w != set && w.how == direct {
			if l, ok := g.locate(w.at.Pos()); ok {
				stops[l.node()] = true
			}
		}
	}
	var starts []start
	seen := make(map[*ast.CallExpr]bool)
	w := &walker{visit: func(n ast.Node) bool {
		if stops[n] {
			return false // reset, or set again: this set reaches no further
		}
		for _, s := range cmds {
			if !seen[s.call] && nav.Within(s.call.Pos(), n) {
				seen[s.call] = true
				starts = append(starts, s)
			}
		}
		return true
	}}
	w.walk(after(l, -1))
	slices.SortFunc(starts, func(a, b start) int { return int(a.call.Pos() - b.call.Pos()) })
	return starts
}

// commands returns the starts of child processes in f's own code whose
// environment is f's.
func (c *checker) commands(f *function) []start {
	var starts []start
	for cur := range f.cur.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if !execStart.Has(match.Callee(c.info, call)) {
			continue // not a start
		}
		if fc, ok := nav.EnclosingFunc(cur); !ok || fc.Node() != f.node {
			continue // in a literal: not on f's paths
		}
		recv := ast.Unparen(call.Fun.(*ast.SelectorExpr).X)
		if inner, ok := recv.(*ast.CallExpr); ok && execCommand.Has(match.Callee(c.info, inner)) {
			starts = append(starts, start{call: call}) // exec.Command(…).Run()
			continue
		}
		v := nav.VarOf(c.info, recv)
		if v == nil || !nav.IsLocal(v) || !c.inheritsEnv(f, v) {
			continue // a command made elsewhere, or given an environment of its own
		}
		starts = append(starts, start{call: call, cmd: v})
	}
	return starts
}

// inheritsEnv reports whether the command in the local variable v is made
// by exec.Command in f and runs with f's environment: f never sets its
// Env, or sets it from os.Environ() or cmd.Environ().
func (c *checker) inheritsEnv(f *function, v *types.Var) bool {
	made := false
	for cur := range f.cur.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		lhs, rhs := nav.Assignment(cur.Node())
		if len(lhs) != len(rhs) {
			continue
		}
		for i, l := range lhs {
			if id, ok := l.(*ast.Ident); ok && c.info.ObjectOf(id) == v {
				call, ok := ast.Unparen(rhs[i]).(*ast.CallExpr)
				made = made || ok && execCommand.Has(match.Callee(c.info, call))
			}
			if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "Env" && nav.VarOf(c.info, sel.X) == v {
				if !c.mentionsEnviron(rhs[i]) {
					return false // an environment of its own
				}
			}
		}
	}
	return made
}

func (c *checker) mentionsEnviron(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && envViews.Has(match.Callee(c.info, call)) {
			found = true
		}
		return !found
	})
	return found
}

const msgCmdEnvFix = "Set %s.Env instead of the process environment"

// cmdEnvFix returns the fix of a child-env finding: the variable goes to
// the command's Env, and the os.Setenv and the resets that undo it go. It
// is offered only when that changes nothing but what the diagnostic names
// (the process environment is no longer changed, and so no longer seen by
// others nor reset to unset afterwards):
//
//   - one command, in a local variable assigned once, is started on the
//     paths from the set, and f does not set its Env or SysProcAttr;
//   - the name and value are constants that os.Setenv accepts;
//   - f reads the variable nowhere else (os.Getenv, os.Environ, …), and
//     writes no other (one Env would have to carry them all);
//   - the set and its resets are statements of their own, and the set
//     comes before the start in the same block or an enclosing one.
//
// The environment is taken when the command starts, so Env is assigned in
// the line before: append(os.Environ(), "K=V"), or, when f sets the
// command's Dir, cmd.Environ(), which also sets PWD as Start does.
func (c *checker) cmdEnvFix(f *function, set *write, starts []start, resets []*write) (analysis.SuggestedFix, bool) {
	none := analysis.SuggestedFix{}
	if len(starts) != 1 || starts[0].cmd == nil || !f.stable(c, starts[0].cmd) {
		return none, false
	}
	s := starts[0]
	call := set.call()
	kv, ok := envPair(c.info, call)
	if !ok {
		return none, false
	}
	setCur, ok := f.cur.FindNode(call)
	if !ok || !inList(setCur.Parent()) || !standalone(setCur.Parent().Node(), call) {
		return none, false
	}
	setStmt := setCur.Parent()
	fields, ok := c.cmdFields(f, s.cmd)
	if !ok || fields["Env"] || fields["SysProcAttr"] {
		return none, false // the command's own environment, or a user's token
	}
	if c.readsEnv(f, set.key) {
		return none, false // f reads it too: the variable is not only the child's
	}
	for _, w := range f.writes {
		if w.key.kind == kindEnv && w.own && w != set && !slices.Contains(resets, w) {
			return none, false // set again, or another variable: one Env must carry them all
		}
	}
	startCur, ok := f.cur.FindNode(s.call)
	if !ok {
		return none, false
	}
	startStmt := startCur
	for !inList(startStmt) {
		startStmt = startStmt.Parent()
		if startStmt.Node() == f.body {
			return none, false
		}
	}
	if !encloses(setStmt.Parent(), startStmt) || setStmt.Node().Pos() > startStmt.Node().Pos() {
		return none, false // the set does not come first on every path
	}
	indent, alone, ok := c.src.Indent(startStmt.Node().Pos())
	if !ok || !alone {
		return none, false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return none, false // a dot import
	}
	qualID, ok := sel.X.(*ast.Ident)
	if !ok {
		return none, false
	}
	environ := qualID.Name + ".Environ()" // os, or its import name
	var edits []analysis.TextEdit
	from, to, ok := c.wholeLines(setStmt.Node().(ast.Stmt))
	if !ok {
		return none, false
	}
	edits = append(edits, analysis.TextEdit{Pos: from, End: to})
	deleted := []ast.Node{setStmt.Node()}
	for _, w := range resets {
		stmt, ok := c.unsetStmt(f, w)
		if !ok {
			return none, false
		}
		from, to, ok := c.wholeLines(stmt)
		if !ok {
			return none, false
		}
		edits = append(edits, analysis.TextEdit{Pos: from, End: to})
		deleted = append(deleted, stmt)
	}
	if fields["Dir"] {
		if !c.pass.AtLeast(call.Pos(), "go1.19") || !c.usedElsewhere(qualID, deleted) {
			return none, false // no (*exec.Cmd).Environ, or os would be imported for nothing
		}
		environ = s.cmd.Name() + ".Environ()"
	}
	line := fmt.Sprintf("%s.Env = append(%s, %s)\n%s", s.cmd.Name(), environ, strconv.Quote(kv), indent)
	edits = append(edits, analysis.TextEdit{Pos: startStmt.Node().Pos(), End: startStmt.Node().Pos(), NewText: []byte(line)})
	return analysis.SuggestedFix{Message: fmt.Sprintf(msgCmdEnvFix, s.cmd.Name()), TextEdits: edits}, true
}

// envPair returns "K=V" for os.Setenv(K, V) with constants that os.Setenv
// accepts.
func envPair(info *types.Info, call *ast.CallExpr) (string, bool) {
	k, v := info.Types[call.Args[0]].Value, info.Types[call.Args[1]].Value
	if k == nil || v == nil || k.Kind() != constant.String || v.Kind() != constant.String {
		return "", false
	}
	ks, vs := constant.StringVal(k), constant.StringVal(v)
	if ks == "" || strings.ContainsAny(ks, "=\x00") || strings.Contains(vs, "\x00") {
		return "", false // os.Setenv fails: the child never saw it
	}
	return ks + "=" + vs, true
}

// standalone reports whether stmt is call as a statement: call, or _ = call.
func standalone(stmt ast.Node, call *ast.CallExpr) bool {
	switch s := stmt.(type) {
	case *ast.ExprStmt:
		return s.X == call
	case *ast.AssignStmt:
		return len(s.Lhs) == 1 && isBlank(s.Lhs[0]) && len(s.Rhs) == 1 && s.Rhs[0] == call
	}
	return false
}

// unsetStmt returns the statement of a reset to delete with the set it
// undoes: os.Unsetenv(k) or defer os.Unsetenv(k), on its own.
func (c *checker) unsetStmt(f *function, w *write) (ast.Stmt, bool) {
	call := w.call()
	if call == nil || w.val != valUnset {
		return nil, false
	}
	cur, ok := f.cur.FindNode(call)
	if !ok || !inList(cur.Parent()) {
		return nil, false
	}
	switch s := cur.Parent().Node().(type) {
	case *ast.DeferStmt:
		return s, true
	case *ast.ExprStmt:
		return s, true
	case *ast.AssignStmt:
		return s, standalone(s, call)
	}
	return nil, false
}

// cmdFields returns the fields of the command in v that f assigns, and
// false if f uses v other than by selecting its fields and methods.
func (c *checker) cmdFields(f *function, v *types.Var) (map[string]bool, bool) {
	fields := make(map[string]bool)
	for cur := range f.cur.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.info.Uses[id] != v {
			continue // another name, or v's declaration
		}
		sel, ok := cur.Parent().Node().(*ast.SelectorExpr)
		if !ok || sel.X != id {
			return nil, false // passed on: someone else may set its Env
		}
		if as, ok := cur.Parent().Parent().Node().(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(sel)) {
			fields[sel.Sel.Name] = true
		}
		if u, ok := cur.Parent().Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
			return nil, false // a field's address escapes
		}
	}
	return fields, true
}

// readsEnv reports whether f reads the environment variable k, or the
// whole environment.
func (c *checker) readsEnv(f *function, k key) bool {
	for cur := range f.cur.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := match.Callee(c.info, call)
		if envViews.Has(fn) || envReads.Has(fn) && f.envKey(c, call.Args[0]) == k {
			return true
		}
	}
	return false
}

// encloses reports whether the statement list at list holds stmt or a
// statement that contains it.
func encloses(list, stmt inspector.Cursor) bool {
	for p := stmt.Parent(); ; p = p.Parent() {
		if p == list {
			return true
		}
		if p.Node() == nil {
			return false
		}
		switch p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
	}
}

// usedElsewhere reports whether the package name id refers to is used in
// its file outside the deleted statements.
func (c *checker) usedElsewhere(id *ast.Ident, deleted []ast.Node) bool {
	pkgName := c.info.Uses[id]
	file := c.pass.File(id.Pos())
	if file == nil || pkgName == nil {
		return false
	}
	used := false
	ast.Inspect(file, func(n ast.Node) bool {
		if x, ok := n.(*ast.Ident); ok && c.info.Uses[x] == pkgName &&
			!slices.ContainsFunc(deleted, func(d ast.Node) bool { return nav.Within(x.Pos(), d) }) {
			used = true
		}
		return !used
	})
	return used
}
