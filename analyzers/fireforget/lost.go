package fireforget

import (
	"go/ast"
	"go/types"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// dropsError reports whether the function s starts returns an error that
// the go statement drops, and names that function.
func (c *checker) dropsError(s *start) (string, bool) {
	if s.sig == nil || lastError(s.sig.Results()) < 0 {
		return "", false // a builtin, or no error to drop
	}
	switch {
	case s.fn != nil && s.fn.Name() == "Close" && s.sig.Params().Len() == 0:
		// The error of Close on teardown is by convention not checked:
		// go conn.Close() is left to untracked.
		return "", false
	case c.recordsError(s):
		return "", false // the function keeps its error itself
	case c.pumps(s):
		return "", false // the error is how it learns its resource was closed
	}
	if s.fn != nil {
		return funcName(s.fn), true
	}
	return "the function it starts", true
}

// recordsError reports whether the started function, declared in this
// package, keeps its own error: a named error result that a deferred
// function literal reads (defer func() { l.loopErr = err }()).
func (c *checker) recordsError(s *start) bool {
	body, ok := c.bodyOf(s)
	if !ok {
		return false // its body is elsewhere
	}
	var ftype *ast.FuncType
	switch n := body.Parent().Node().(type) {
	case *ast.FuncLit:
		ftype = n.Type
	case *ast.FuncDecl:
		ftype = n.Type
	}
	results := make(map[types.Object]bool)
	if ftype.Results != nil {
		for _, f := range ftype.Results.List {
			for _, name := range f.Names {
				if obj := c.info.Defs[name]; obj != nil && match.IsError(obj.Type()) {
					results[obj] = true
				}
			}
		}
	}
	if len(results) == 0 {
		return false // no named error result
	}
	for d := range body.Preorder((*ast.DeferStmt)(nil)) {
		lit, ok := ast.Unparen(d.Node().(*ast.DeferStmt).Call.Fun).(*ast.FuncLit)
		if !ok {
			continue // not a deferred literal
		}
		if enclosing, _ := nav.EnclosingFunc(d); enclosing.Node() != body.Parent().Node() {
			continue // the defer of a nested function
		}
		found := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && results[c.info.Uses[id]] {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// pumps reports whether s starts a function (not a method) and passes it a
// resource that the package closes elsewhere: go io.Copy(dst, src) ends
// with the error that closing dst or src causes, which is expected.
func (c *checker) pumps(s *start) bool {
	if s.fn == nil || s.fn.Signature().Recv() != nil || s.call == nil {
		return false // not a go statement of a function
	}
	for _, a := range s.args {
		if tn := c.resourceType(nav.TypeOf(c.info, a)); tn != nil && c.stoppedOutside(tn, []ast.Node{s.node}) {
			return true
		}
	}
	return false
}
