package fireforget

import (
	"go/ast"
	"go/types"

	"github.com/resilvet/resilvet/internal/match"
)

// recoverSets says which functions of the package (FuncDecl and FuncLit
// nodes) recover panics, and which declared functions join; see funcFact.
type recoverSets struct {
	calls   map[ast.Node]bool // calls recover itself
	guarded map[ast.Node]bool // defers a call that recovers
	joins   map[ast.Node]bool // calls (*sync.WaitGroup).Done, outside any go statement
}

// enclosingFunc returns the innermost function, a FuncDecl or a FuncLit,
// among the nodes of stack (outermost first), or nil.
func enclosingFunc(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return stack[i]
		}
	}
	return nil
}

// joiningDecl returns the declared function that a joining call, with the
// nodes around it in stack, counts done as part of its own run; or nil,
// if the call is another goroutine's or in a literal run elsewhere.
func joiningDecl(stack []ast.Node) *ast.FuncDecl {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.GoStmt:
			return nil // another goroutine's
		case *ast.FuncLit:
			// func() { wg.Done() }() and defer func() { ... }() run as
			// part of the function; a literal passed or stored runs
			// elsewhere.
			if i < 2 {
				return nil
			}
			if call, ok := stack[i-1].(*ast.CallExpr); !ok || call.Fun != n {
				return nil
			}
			switch stack[i-2].(type) {
			case *ast.ExprStmt, *ast.DeferStmt:
			default:
				return nil
			}
		case *ast.FuncDecl:
			return n
		}
	}
	return nil
}

// exportFuncFacts exports the funcFacts of the package's functions, once
// the fact pass has filled c.recover and found which functions run.
func (c *checker) exportFuncFacts() {
	for fn, decl := range c.decls {
		f := &funcFact{Recovers: c.recover.calls[decl], Guarded: c.recover.guarded[decl], Joins: c.recover.joins[decl],
			Runs: c.props.runs[fn] && fn.Exported()}
		if f.Recovers || f.Guarded || f.Joins || f.Runs {
			c.pass.ExportObjectFact(fn, f)
		}
	}
}

// deferRecovers reports whether deferring call recovers a panic: the
// deferred function calls recover itself.
func (c *checker) deferRecovers(call *ast.CallExpr) bool {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return c.recover.calls[lit]
	}
	fn := match.Callee(c.info, call)
	if fn == nil {
		return false // a func value: unknown
	}
	if decl, ok := c.decls[fn]; ok {
		return c.recover.calls[decl]
	}
	var f funcFact
	return c.pass.ImportObjectFact(fn, &f) && f.Recovers
}

// recovers reports whether a panic in the goroutine that s starts is
// recovered by a call its function defers.
func (c *checker) recovers(s *start) bool {
	if s.impl != nil {
		return c.recover.guarded[s.impl]
	}
	if s.fn == nil {
		return false // a func value: unknown, so reported
	}
	if decl, ok := c.decls[s.fn]; ok {
		return c.recover.guarded[decl]
	}
	var f funcFact
	return c.pass.ImportObjectFact(s.fn, &f) && f.Guarded
}

// joins reports whether calling fn counts a goroutine done.
func (c *checker) joins(fn *types.Func) bool {
	return joinsKnown(fn) || c.importedFuncFact(fn).Joins
}

// importedFuncFact returns the funcFact of fn if another package declares
// it, and the zero fact otherwise: the package's own functions are
// followed instead.
func (c *checker) importedFuncFact(fn *types.Func) funcFact {
	var f funcFact
	if fn != nil && fn.Pkg() != c.pass.Pkg {
		c.pass.ImportObjectFact(fn, &f)
	}
	return f
}

// joinsKnown reports whether fn is known to count a goroutine done without
// a fact: sync's and io's own, and any WaitGroup-like Done.
func joinsKnown(fn *types.Func) bool {
	if match.IsMethod(fn, "sync", "WaitGroup", "Done") ||
		// The reader of the pipe, usually the spawner, reads until the
		// writer closes it.
		match.IsMethod(fn, "io", "PipeWriter", "Close", "CloseWithError") ||
		// A waiter on the condition is told the goroutine's news.
		match.IsMethod(fn, "sync", "Cond", "Broadcast", "Signal") {
		return true
	}
	return waitGroupLike(fn) // a tracker with sync.WaitGroup's protocol: Add, Done, Wait
}

// waitGroupLike reports whether fn is the Done method, with no parameters
// and no results, of a type (or interface) that also has Add and a Wait
// without parameters: a WaitGroup wrapper or interface, whose Done counts
// a goroutine finished as (*sync.WaitGroup).Done does. Structural, as Go's
// own interfaces are: the protocol is the method set.
func waitGroupLike(fn *types.Func) bool {
	if fn == nil || fn.Name() != "Done" {
		return false
	}
	sig := fn.Signature()
	recv := sig.Recv()
	if recv == nil || sig.Params().Len() != 0 || sig.Results().Len() != 0 {
		return false
	}
	t := recv.Type()
	if _, ok := t.(*types.Pointer); !ok && !types.IsInterface(t) {
		t = types.NewPointer(t) // the method set of *T holds T's methods too
	}
	mset := types.NewMethodSet(t)
	wait, add := mset.Lookup(fn.Pkg(), "Wait"), mset.Lookup(fn.Pkg(), "Add")
	return wait != nil && add != nil && wait.Obj().(*types.Func).Signature().Params().Len() == 0
}
