package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/resilvet/resilvet/internal/nav"
)

// terminates reports whether s is a terminating statement as the Go spec
// defines it: a return nil appended after it would be unreachable code,
// which go vet reports. label is the label of s, if any.
func terminates(info *types.Info, s ast.Stmt, label string) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.GOTO || s.Tok == token.FALLTHROUGH
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		return ok && nav.IsBuiltin(info, call, "panic")
	case *ast.BlockStmt:
		return len(s.List) > 0 && terminates(info, s.List[len(s.List)-1], "")
	case *ast.IfStmt:
		return s.Else != nil && terminates(info, s.Body, "") && terminates(info, s.Else, "")
	case *ast.LabeledStmt:
		return terminates(info, s.Stmt, s.Label.Name)
	case *ast.ForStmt:
		return s.Cond == nil && !breaks(s.Body, label)
	case *ast.SwitchStmt:
		return clausesTerminate(info, s.Body, label, true)
	case *ast.TypeSwitchStmt:
		return clausesTerminate(info, s.Body, label, true)
	case *ast.SelectStmt:
		return clausesTerminate(info, s.Body, label, false)
	}
	return false
}

// clausesTerminate reports whether a switch or select body terminates:
// no break leaves it, a switch has a default, and every clause ends in a
// terminating statement (or fallthrough).
func clausesTerminate(info *types.Info, body *ast.BlockStmt, label string, needDefault bool) bool {
	hasDefault := !needDefault
	for _, cl := range body.List {
		var list []ast.Stmt
		switch cl := cl.(type) {
		case *ast.CaseClause:
			hasDefault = hasDefault || cl.List == nil
			list = cl.Body
		case *ast.CommClause:
			list = cl.Body
		}
		if len(list) == 0 || !terminates(info, list[len(list)-1], "") {
			return false
		}
		for _, st := range list {
			if breaks(st, label) {
				return false
			}
		}
	}
	return hasDefault
}

// breaks reports whether n holds a break that leaves the statement it
// belongs to: an unlabelled break not inside a nested loop, switch or
// select, or a break to label.
func breaks(n ast.Node, label string) bool {
	found := false
	var walk func(n ast.Node, nested bool)
	walk = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if found || m == nil {
				return false
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false // breaks of another function
			case *ast.BranchStmt:
				if m.Tok == token.BREAK && (m.Label == nil && !nested || m.Label != nil && m.Label.Name == label && label != "") {
					found = true
				}
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if m != n {
					walk(m, true)
					return false
				}
			}
			return true
		})
	}
	switch n.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		walk(n, true) // its unlabelled breaks are its own
	default:
		walk(n, false)
	}
	return found
}
