package fireforget

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
)

// A tasksFact marks a package that starts tasks on task's default group
// (task.Go or task.TryGo), itself or through a package it imports; Pkg is
// the first such package in path order. Each package merges its imports'
// facts into its own, because go vet shows a package only the facts of its
// direct imports.
type tasksFact struct{ Pkg string }

func (*tasksFact) AFact() {}

func (f *tasksFact) String() string { return "default tasks in " + f.Pkg }

// msgNoShutdown is the message of no-shutdown; doc.go quotes it.
const msgNoShutdown = "this program starts tasks on task's default group (in %s), but main never calls task.Shutdown: nothing waits for them at exit"

// findTasks sets c.tasksFrom to the package of the program part that
// starts default-group tasks, this one's first (if starts says it does,
// outside its tests), and exports it as the package's tasksFact.
func (c *checker) findTasks(starts bool) {
	self := match.PkgPath(c.pass.Pkg)
	if starts {
		c.tasksFrom = self
	} else {
		for _, imp := range c.pass.Pkg.Imports() {
			var f tasksFact
			if c.pass.ImportPackageFact(imp, &f) && (c.tasksFrom == "" || f.Pkg < c.tasksFrom) {
				c.tasksFrom = f.Pkg
			}
		}
	}
	if c.tasksFrom != "" && c.pass.Pkg.Name() != "main" && !strings.HasPrefix(self, match.RuntimePath+"/") {
		// The runtime's own packages use the default group only when
		// their caller gave them no group of their own, which cannot be
		// seen here.
		c.pass.ExportPackageFact(&tasksFact{Pkg: c.tasksFrom})
	}
}

// checkShutdown reports, in package main, func main when the program
// starts default-group tasks that main never waits for.
func (c *checker) checkShutdown() {
	from, starts, shutdowns := c.tasksFrom, c.taskStarts, c.shutdowns
	if from == "" || c.pass.Pkg.Name() != "main" {
		return // no default-group task anywhere in the program, or not a command
	}
	main := c.mainDecl()
	if main == nil || !c.pass.Enabled(ruleNoShutdown) || c.shutsDown(main, shutdowns) {
		return // not a command, the rule is off, or main waits for the tasks
	}
	d := analysis.Diagnostic{
		Pos:     main.Name.Pos(),
		End:     main.Name.End(),
		Message: fmt.Sprintf(msgNoShutdown, from),
	}
	if f, ok := c.shutdownFix(main); ok && !c.anyNeverEnds(starts) {
		d.SuggestedFixes = []analysis.SuggestedFix{f}
	}
	c.pass.Report(ruleNoShutdown, d)
}

// mainDecl returns func main of the package, or nil.
func (c *checker) mainDecl() *ast.FuncDecl {
	for fn, decl := range c.decls {
		if fn.Name() == "main" && fn.Signature().Recv() == nil && fn.Parent() == c.pass.Pkg.Scope() {
			return decl
		}
	}
	return nil
}

// shutsDown reports whether one of the shutdowns is in main or in a
// function of the package that main calls, directly or not.
func (c *checker) shutsDown(main *ast.FuncDecl, shutdowns []inspector.Cursor) bool {
	reached := map[ast.Node]bool{main: true}
	queue := []ast.Node{main}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		ast.Inspect(n, func(m ast.Node) bool {
			if call, ok := m.(*ast.CallExpr); ok {
				if decl, ok := c.decls[match.Callee(c.info, call)]; ok && !reached[decl] {
					reached[decl] = true
					queue = append(queue, decl)
				}
			}
			return true
		})
	}
	for _, cur := range shutdowns {
		for decl := range cur.Enclosing((*ast.FuncDecl)(nil)) {
			if reached[decl.Node()] {
				return true
			}
		}
	}
	return false
}

// shutdownTimeout bounds the wait the fix adds at the end of main: tasks
// that ignore their context must not keep a stopping program alive.
const shutdownTimeout = "10 * time.Second"

// shutdownFix defers, at the top of main, a task.Shutdown bounded by
// shutdownTimeout that logs the tasks still running. It is offered only
// when main cannot end the process without running its defers (no os.Exit
// or log.Fatal in its own body).
func (c *checker) shutdownFix(main *ast.FuncDecl) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	exitsEarly := false
	ast.Inspect(main.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && exits(match.Callee(c.info, call)) {
			exitsEarly = true
		}
		return !exitsEarly
	})
	if exitsEarly || len(main.Body.List) == 0 {
		return none, false // the deferred wait would not run, or nowhere to put it
	}
	file := c.pass.File(main.Pos())
	at := main.Body.List[0].Pos()
	if file != nil {
		// Above the comments that lead main's first statement, which
		// describe it, not the deferred wait.
		for _, g := range file.Comments {
			if g.Pos() > main.Body.Lbrace && g.End() < at {
				if _, alone, ok := c.src.Indent(g.Pos()); ok && alone {
					at = g.Pos()
					break
				} // else a comment after main's brace, on its line
			}
		}
	}
	indent, alone, ok := c.src.Indent(at)
	if file == nil || !ok || !alone {
		return none, false // no source, or main's first statement shares its line
	}
	var edits []analysis.TextEdit
	qual := make(map[string]string)
	for _, imp := range []struct{ path, name, member string }{
		{"context", "context", "WithTimeout"},
		{"time", "time", "Second"},
		{match.TaskPath, "task", "Shutdown"},
		{"log/slog", "slog", "Error"},
	} {
		prefix, e, ok := fix.AddImport(c.info, file, at, imp.path, imp.name, imp.member)
		if !ok {
			return none, false // a package the fix needs cannot be named here
		}
		if name := strings.TrimSuffix(prefix, "."); name == "ctx" || name == "cancel" || name == "err" {
			return none, false // the literal's own locals would hide it
		}
		qual[imp.name] = prefix
		edits = append(edits, e...)
	}
	timeout := strings.ReplaceAll(shutdownTimeout, "time.", qual["time"])
	text := strings.Join([]string{
		"defer func() {",
		"\tctx, cancel := " + qual["context"] + "WithTimeout(" + qual["context"] + "Background(), " + timeout + ")",
		"\tdefer cancel()",
		"\tif err := " + qual["task"] + "Shutdown(ctx); err != nil {",
		"\t\t" + qual["slog"] + "Error(" + strconv.Quote("tasks did not stop") + ", " + strconv.Quote("error") + ", err)",
		"\t}",
		"}()",
	}, "\n"+indent) + "\n" + indent
	edits = append(edits, fix.Insert(at, text))
	return analysis.SuggestedFix{
		Message:   "Wait for the tasks at the end of main with task.Shutdown",
		TextEdits: fix.Dedup(edits),
	}, true
}

// isTestFile reports whether the file name is a test file's.
func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.go") }

// isTaskStart reports whether fn starts a task on the default group.
func isTaskStart(fn *types.Func) bool { return match.IsFunc(fn, match.TaskPath, "Go", "TryGo") }

// anyNeverEnds reports whether one of the task starts of the package (its
// task.Go and task.TryGo calls outside test files) starts a task that can
// be seen never to end. task.Shutdown cannot stop such a task, only wait it
// out: the deferred wait of no-shutdown's fix would delay every exit by its
// full timeout and log the task each time, which is not the waiting the
// diagnostic asks for. The task must first be made to return when its
// context is cancelled; the finding stays, without a fix.
func (c *checker) anyNeverEnds(starts []inspector.Cursor) bool {
	for _, cur := range starts {
		call := cur.Node().(*ast.CallExpr)
		if isTestFile(c.pass.Fset.File(call.Pos()).Name()) || len(call.Args) != 3 {
			continue // not the program's, or not task.Go(ctx, name, fn)
		}
		var ftype *ast.FuncType
		var body *ast.BlockStmt
		switch fn := ast.Unparen(call.Args[2]).(type) {
		case *ast.FuncLit:
			ftype, body = fn.Type, fn.Body
		case *ast.Ident:
			if f, ok := c.info.Uses[fn].(*types.Func); ok {
				if decl, ok := c.decls[f.Origin()]; ok {
					ftype, body = decl.Type, decl.Body
				}
			}
		}
		if body != nil && c.neverEnds(ftype, body) {
			return true
		}
	}
	return false
}

// neverEnds reports whether a task function with this type and body can
// be seen never to end: it does not read its context, has no return or
// goto (outside nested literals), and one of its top-level statements is
// an endless loop (for without a condition, not broken out of) or an empty
// select. Only a panic, runtime.Goexit or the process's exit ends it.
func (c *checker) neverEnds(ftype *ast.FuncType, body *ast.BlockStmt) bool {
	if ftype.Params != nil && len(ftype.Params.List) == 1 {
		for _, name := range ftype.Params.List[0].Names {
			if obj := c.info.Defs[name]; obj != nil && c.uses(body, obj) {
				return false // it may watch its context
			}
		}
	}
	leaves := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function's returns
		case *ast.ReturnStmt:
			leaves = true
		case *ast.BranchStmt:
			leaves = leaves || n.Tok == token.GOTO
		}
		return !leaves
	})
	if leaves {
		return false // a way out, whether taken or not
	}
	for _, st := range body.List {
		switch st.(type) {
		case *ast.ForStmt, *ast.SelectStmt, *ast.LabeledStmt:
			if terminates(c.info, st, "") {
				return true // no break leaves it and, with no return, nothing else does
			}
		}
	}
	return false
}

// uses reports whether obj is used in n.
func (c *checker) uses(n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && c.info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}
