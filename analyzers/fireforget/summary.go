package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
)

// A summary records what a function body does that tells whether the
// goroutine running it is tracked. Nested go statements are not looked at:
// they start goroutines of their own.
type summary struct {
	joins    bool       // calls (*sync.WaitGroup).Done or closes an io.PipeWriter
	ctxUse   bool       // uses a context.Context from outside the body
	stopRecv bool       // receives from a stop channel
	sends    []ast.Expr // channels it sends on or closes
	// resources are the types of another package whose methods it
	// calls in a loop (conn.Read(p)), or, in a function literal, as a
	// statement of its own (if err := srv.Serve(l); ...): closing such
	// a resource (a connection, a listener, a server) makes the calls
	// fail and the goroutine end.
	resources []*types.TypeName
	// pollsFlag: a loop stops on a sync/atomic value, a stop flag that
	// other code sets (see stopCondition).
	pollsFlag bool
	callees   []*types.Func // same-package functions it calls
}

func (c *checker) summarize(body inspector.Cursor) *summary {
	b := body.Node().(*ast.BlockStmt)
	if s, ok := c.sums[b]; ok {
		return s
	}
	s := new(summary)
	c.sums[b] = s
	filter := []ast.Node{(*ast.GoStmt)(nil), (*ast.CallExpr)(nil), (*ast.SendStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)}
	body.Inspect(filter, func(cur inspector.Cursor) bool {
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			return false // another goroutine's body
		case *ast.SendStmt:
			s.sends = append(s.sends, n.Chan)
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && c.chans.stop(n.X) {
				s.stopRecv = true
			}
		case *ast.RangeStmt:
			if isChan(c.info.TypeOf(n.X)) && c.chans.stop(n.X) {
				s.stopRecv = true
			}
		case *ast.CallExpr:
			if tn, stop := c.resourceCall(n); tn != nil && !stop && (inLoop(cur, b) || topLevelInLiteral(cur, body)) {
				s.resources = append(s.resources, tn)
			}
			if fn := match.Callee(c.info, n); fn != nil && match.PkgPath(fn.Pkg()) == "sync/atomic" && strings.HasPrefix(fn.Name(), "Load") && stopCondition(cur, b) {
				s.pollsFlag = true
			}
			return c.summarizeCall(n, b, s)
		}
		return true
	})
	return s
}

// summarizeCall records call in s and says whether to look inside it.
func (c *checker) summarizeCall(call *ast.CallExpr, body *ast.BlockStmt, s *summary) bool {
	if isBuiltin(c.info, call, "close") && len(call.Args) == 1 {
		s.sends = append(s.sends, call.Args[0])
		return true
	}
	fn := match.Callee(c.info, call)
	switch {
	case c.joins(fn):
		s.joins = true
	case match.IsFunc(fn, "context", "Background", "TODO", "WithoutCancel"):
		return false // a context that no one outside cancels
	case match.IsMethod(fn, "context", "Context", "Done", "Err"):
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && c.outerCtx(sel.X, body) {
			s.ctxUse = true
		}
	}
	for _, a := range call.Args {
		if match.IsContext(c.info.TypeOf(a)) && c.outerCtx(a, body) {
			s.ctxUse = true // cancellation reaches the call
		}
	}
	if fn != nil && fn.Pkg() == c.pass.Pkg {
		if _, ok := c.decls[fn]; ok {
			s.callees = append(s.callees, fn)
		}
	}
	return true
}

// topLevelInLiteral reports whether the call at cur is a statement of the
// function literal whose body is body, or the initialiser of one of its if
// statements: the goroutine's main work.
func topLevelInLiteral(cur inspector.Cursor, body inspector.Cursor) bool {
	if _, ok := body.Parent().Node().(*ast.FuncLit); !ok {
		return false // a declared function: a call in it may be one among many
	}
	p := cur.Parent()
	for {
		switch p.Node().(type) {
		case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.ParenExpr, *ast.UnaryExpr, *ast.BinaryExpr:
			p = p.Parent()
			continue
		case *ast.IfStmt:
			p = p.Parent()
		}
		return p.Node() == body.Node()
	}
}

// stopCondition reports whether the expression at cur, in a loop of the
// function whose body is body, decides whether the loop goes on: it is in
// the loop's condition, or in the condition of an if statement that
// returns or breaks.
func stopCondition(cur inspector.Cursor, body *ast.BlockStmt) bool {
	if !inLoop(cur, body) {
		return false
	}
	for e := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.IfStmt)(nil), (*ast.BlockStmt)(nil), (*ast.FuncLit)(nil)) {
		switch n := e.Node().(type) {
		case *ast.ForStmt:
			return n.Cond != nil && n.Cond.Pos() <= cur.Node().Pos() && cur.Node().End() <= n.Cond.End()
		case *ast.IfStmt:
			if n.Cond.Pos() <= cur.Node().Pos() && cur.Node().End() <= n.Cond.End() {
				for _, st := range n.Body.List {
					switch st := st.(type) {
					case *ast.ReturnStmt:
						return true
					case *ast.BranchStmt:
						if st.Tok == token.BREAK {
							return true
						}
					}
				}
			}
			return false
		case *ast.BlockStmt, *ast.FuncLit:
			return false // the expression is not a condition
		}
	}
	return false
}

// inLoop reports whether cur is in a loop of the function whose body is
// body.
func inLoop(cur inspector.Cursor, body *ast.BlockStmt) bool {
	for e := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.BlockStmt)(nil)) {
		switch n := e.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit:
			return false // another function
		case *ast.BlockStmt:
			if n == body {
				return false // reached the body
			}
		}
	}
	return false
}
