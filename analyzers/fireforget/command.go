package fireforget

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
)

// A command's own code runs once per process, on the command's behalf:
// main and init of package main, the function a CLI framework runs for a
// command (cobra's Run and RunE, urfave/cli's Action), and the functions of
// the package they call, directly or not. A goroutine it starts — a metrics
// server, a log pump, a status loop, a helper daemon's main loop — lives as
// long as the process by design, and the process's end is its end: the
// default rules leave it alone; the strict profile does not.
//
// A function literal inside that code is the command's code too when it
// runs in its place: called at once, deferred, started with go, or handed
// to a call that runs it before returning or to a group that starts it (a
// worker of the command). A literal kept for later — an HTTP handler, a
// callback — runs per request or per event, and is not.

// commandEntries are the fields of CLI frameworks that hold a command's
// body.
var commandEntries = []struct{ pkg, typ string }{
	{"github.com/spf13/cobra", "Command"},
	{"github.com/urfave/cli", "Command"},
	{"github.com/urfave/cli", "App"},
	{"github.com/urfave/cli/v2", "Command"},
	{"github.com/urfave/cli/v2", "App"},
	{"github.com/urfave/cli/v3", "Command"},
}

// commandFields are the fields of commandEntries' types that hold code run
// once for the command.
var commandFields = map[string]bool{
	"Run": true, "RunE": true, "PreRun": true, "PreRunE": true, "PostRun": true, "PostRunE": true,
	"PersistentPreRun": true, "PersistentPreRunE": true, "PersistentPostRun": true, "PersistentPostRunE": true,
	"Action": true, "Before": true, "After": true,
}

// findCommand computes c.command: the function declarations and literals
// of the package that are a command's own code.
func (c *checker) findCommand() {
	c.command = make(map[ast.Node]bool)
	var queue []inspector.Cursor
	add := func(cur inspector.Cursor) {
		if !c.command[cur.Node()] {
			c.command[cur.Node()] = true
			queue = append(queue, cur)
		}
	}
	if c.pass.Pkg.Name() == "main" {
		for fn, cur := range c.declCurs {
			if fn.Signature().Recv() == nil && (fn.Name() == "main" || fn.Name() == "init") {
				add(cur)
			}
		}
	}
	for cur := range c.cursors().Preorder((*ast.KeyValueExpr)(nil), (*ast.AssignStmt)(nil)) {
		for _, v := range c.entryValues(cur) {
			bodies := []ast.Expr{v}
			if call, ok := ast.Unparen(v).(*ast.CallExpr); ok {
				// An adapter builds the body from the function it is
				// given: cmd.RunE = wrap(cmdRun).
				bodies = call.Args
			}
			for _, v := range bodies {
				switch v := ast.Unparen(v).(type) {
				case *ast.FuncLit:
					if lit, ok := cur.FindNode(v); ok {
						add(lit)
					}
				default:
					if decl, ok := c.declCurs[c.funcOf(v)]; ok {
						add(decl)
					}
				}
			}
		}
	}
	for len(queue) > 0 {
		fcur := queue[0]
		queue = queue[1:]
		for call := range fcur.Preorder((*ast.CallExpr)(nil)) {
			if !c.runsAsPartOf(call, fcur.Node()) {
				continue // in a literal kept for later
			}
			if decl, ok := c.declCurs[match.Callee(c.info, call.Node().(*ast.CallExpr))]; ok {
				add(decl)
			}
		}
	}
}

// entryValues returns the values that the key-value pair or assignment at
// cur gives a command field of a CLI framework's type.
func (c *checker) entryValues(cur inspector.Cursor) []ast.Expr {
	var out []ast.Expr
	switch n := cur.Node().(type) {
	case *ast.KeyValueExpr:
		key, ok := n.Key.(*ast.Ident)
		lit, isLit := cur.Parent().Node().(*ast.CompositeLit)
		if !ok || !isLit || !commandFields[key.Name] || !c.isCommandType(c.info.TypeOf(lit)) {
			return nil
		}
		out = append(out, n.Value)
	case *ast.AssignStmt:
		if len(n.Lhs) != len(n.Rhs) {
			return nil
		}
		for i, l := range n.Lhs {
			sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
			if !ok || !commandFields[sel.Sel.Name] {
				continue
			}
			if s := c.info.Selections[sel]; s != nil && s.Kind() == types.FieldVal && c.isCommandType(s.Recv()) {
				out = append(out, n.Rhs[i])
			}
		}
	}
	return out
}

// isCommandType reports whether t is, or points to, a command type of a CLI
// framework.
func (c *checker) isCommandType(t types.Type) bool {
	for _, e := range commandEntries {
		if t != nil && match.IsNamedOrPtr(t, e.pkg, e.typ) {
			return true
		}
	}
	return false
}

// runsAsPartOf reports whether the code at cur runs as part of fn, its
// enclosing function declaration or literal: every literal between them
// runs in its place (see the comment at the top of this file).
func (c *checker) runsAsPartOf(cur inspector.Cursor, fn ast.Node) bool {
	for f := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		if f.Node() == fn {
			return true
		}
		if _, ok := f.Node().(*ast.FuncDecl); ok || !c.inPlace(f) {
			return false
		}
	}
	return false
}

// inPlace reports whether the function literal at lit runs in the place of
// its enclosing function: called at once (also by go and defer),
// synchronously by the call it is passed to, or as a worker of a group.
func (c *checker) inPlace(lit inspector.Cursor) bool {
	p := lit
	for p.ParentEdgeKind() == edge.ParenExpr_X {
		p = p.Parent()
	}
	if p.ParentEdgeKind() == edge.CallExpr_Fun {
		return true // func() { … }(), go func() { … }(), defer func() { … }()
	}
	if p.ParentEdgeKind() == edge.CallExpr_Args {
		if trackedArg(c.info, p.Parent().Node().(*ast.CallExpr)) != nil {
			return true // eg.Go(func() error { … }): a worker the command waits for
		}
		return contexts.Synchronous(c.info, lit)
	}
	return false
}

// inCommand reports whether the code at cur is a command's own code.
func (c *checker) inCommand(cur inspector.Cursor) bool {
	for f := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		if c.command[f.Node()] {
			return true
		}
		if _, ok := f.Node().(*ast.FuncDecl); ok || !c.inPlace(f) {
			return false
		}
	}
	return false
}
