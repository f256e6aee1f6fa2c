// Package nav answers where a node is in a syntax tree, and what simple
// syntax denotes, for every analyzer: the function enclosing a node, the
// variable an expression names, whether a call is of a builtin.
package nav

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// EnclosingFunc returns the innermost function declaration or literal at
// or around cur, or false at package level.
func EnclosingFunc(cur inspector.Cursor) (inspector.Cursor, bool) {
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return f, true
	}
	return inspector.Cursor{}, false
}

// DeclName names the top-level function declaration of file that holds
// pos: "F", "T.M" for a method, or "" outside any function. It is how
// findings are named across edits that move lines (baselines, recall).
func DeclName(file *ast.File, pos token.Pos) string {
	for _, decl := range file.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || pos < fd.Pos() || pos >= fd.End() {
			continue // not the declaration holding pos
		}
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			return recvTypeName(fd.Recv.List[0].Type) + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
	return ""
}

func recvTypeName(t ast.Expr) string {
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

// Within reports whether pos lies inside n.
func Within(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// IsBuiltin reports whether call calls the builtin function name.
func IsBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// TypeOf is info.TypeOf, with the invalid type for an expression that has
// none, so that callers can ask for its Underlying without a nil check.
func TypeOf(info *types.Info, e ast.Expr) types.Type {
	if t := info.TypeOf(e); t != nil {
		return t
	}
	return types.Typ[types.Invalid]
}

// VarOf returns the variable that e denotes — x, &x, s.f or pkg.V — or
// nil.
func VarOf(info *types.Info, e ast.Expr) *types.Var {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e := e.(type) {
	case *ast.Ident:
		v, _ := info.Uses[e].(*types.Var)
		return v
	case *ast.SelectorExpr:
		v, _ := info.Uses[e.Sel].(*types.Var)
		return v
	}
	return nil
}

// Mentions reports whether n refers to obj anywhere.
func Mentions(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// IsPackageLevel reports whether v is a variable declared at package
// level. Not a blank identifier of a short variable declaration (_, err :=
// f()), which go/types gives a variable of no scope.
func IsPackageLevel(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

// IsLocal reports whether v is a parameter or variable of a function, not
// of a package.
func IsLocal(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() != nil && v.Parent() != v.Pkg().Scope()
}

// EnclosingLoop returns the innermost for or range statement enclosing cur
// (not cur itself) in the same function.
func EnclosingLoop(cur inspector.Cursor) (inspector.Cursor, bool) {
	for p := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if p != cur {
				return p, true
			}
		default:
			return inspector.Cursor{}, false // reached the function
		}
	}
	return inspector.Cursor{}, false
}

// InStmtList reports whether the statement at cur is an element of a
// statement list, where a fix can put statements before it or replace it
// with an if statement.
func InStmtList(cur inspector.Cursor) bool {
	switch cur.ParentEdgeKind() {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body, edge.LabeledStmt_Stmt:
		return true
	}
	return false
}

// Results returns the results of the innermost function enclosing cur, or
// false outside a function or without type information.
func Results(info *types.Info, cur inspector.Cursor) (*types.Tuple, bool) {
	fn, ok := EnclosingFunc(cur)
	if !ok {
		return nil, false // not in a function
	}
	var t types.Type
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		if obj := info.Defs[n.Name]; obj != nil {
			t = obj.Type()
		}
	case *ast.FuncLit:
		t = info.TypeOf(n)
	}
	sig, ok := t.(*types.Signature)
	if !ok {
		return nil, false // no type information
	}
	return sig.Results(), true
}

// Assignment returns the operands of n, an assignment statement or a var or
// const specification: its left-hand sides (a specification's names) and
// its right-hand sides, as written. Any other node has neither.
func Assignment(n ast.Node) (lhs, rhs []ast.Expr) {
	switch n := n.(type) {
	case *ast.AssignStmt:
		return n.Lhs, n.Rhs
	case *ast.ValueSpec:
		for _, id := range n.Names {
			lhs = append(lhs, id)
		}
		return lhs, n.Values
	}
	return nil, nil
}

// Preorder yields the nodes of files in preorder, as an inspector's
// Preorder does, for the fact passes, which build no inspector (lint.FactPass).
func Preorder(files []*ast.File) iter.Seq[ast.Node] {
	return func(yield func(ast.Node) bool) {
		for _, f := range files {
			for n := range ast.Preorder(f) {
				if !yield(n) {
					return
				}
			}
		}
	}
}
