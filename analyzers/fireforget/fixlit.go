package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// literal builds the fix of go func(params) { body }(args): the body moves
// into the task's literal, the parameters become its first locals, bare
// returns return nil.
func (f *fixer) literal(head string) bool {
	c, lit := f.c, f.s.lit
	res := f.s.sig.Results()
	var results string
	switch {
	case res.Len() == 0:
		results = "error"
	case res.Len() == 1 && match.IsError(res.At(0).Type()):
		results = f.text(lit.Type.Results) // error, or (err error)
	default:
		return false // the task's function returns an error only
	}
	decl, ok := f.params()
	if !ok {
		return false
	}

	body := lit.Body
	open := f.bindings() + head + results + " {"
	oneLine := f.c.src.SameLine(body.Lbrace, body.Rbrace)
	if decl != "" {
		if oneLine {
			open += " " + decl + ";"
		} else {
			// On a line of its own after the brace's, so that a comment
			// after the brace stays where it was.
			next, ok := f.c.src.NextLine(body.Lbrace)
			if !ok {
				panic("fireforget: a brace on the last line before the closing one")
			}
			f.edits = append(f.edits, analysis.TextEdit{Pos: next, End: next, NewText: []byte(f.indent + "\t" + decl + "\n")})
		}
	}
	f.edits = append(f.edits, analysis.TextEdit{Pos: f.gs.Pos(), End: body.Lbrace + 1, NewText: []byte(open)})

	if res.Len() == 0 {
		// The task's function returns an error: every return of the body
		// returns nil, and so does its end if it can be reached.
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // its returns are its own
			case *ast.ReturnStmt:
				end := n.Return + token.Pos(len("return"))
				f.edits = append(f.edits, analysis.TextEdit{Pos: end, End: end, NewText: []byte(" nil")})
			}
			return true
		})
		if len(body.List) == 0 || !terminates(c.info, body.List[len(body.List)-1], "") {
			text := "\treturn nil\n" + f.lineIndent(body.Rbrace)
			if oneLine || !f.startsLine(body.Rbrace) {
				text = "; return nil "
			}
			f.edits = append(f.edits, analysis.TextEdit{Pos: body.Rbrace, End: body.Rbrace, NewText: []byte(text)})
		}
	}
	f.edits = append(f.edits, analysis.TextEdit{Pos: body.Rbrace + 1, End: f.gs.Call.End(), NewText: []byte(")")})
	return true
}

// params binds the arguments of the started literal and returns the
// statement that declares its parameters inside the task, or "".
//
// Each parameter gets its argument's value: the argument itself if it is
// stable, else a local bound before task.Go. A value whose own type is not
// the parameter's (a constant, a concrete value for an interface) is
// converted to it, as the call converted it. Parameters that the body never
// uses are not declared; their arguments are still evaluated if they could
// have effects. All parameters are declared in one := statement, so no
// value refers to a parameter declared before it.
func (f *fixer) params() (string, bool) {
	c, lit, args := f.c, f.s.lit, f.s.args
	var ps []*ast.Ident // nil for an unnamed parameter
	var typs []ast.Expr
	for _, field := range lit.Type.Params.List {
		if len(field.Names) == 0 {
			ps, typs = append(ps, nil), append(typs, field.Type)
		}
		for _, n := range field.Names {
			ps, typs = append(ps, n), append(typs, field.Type)
		}
	}
	if len(args) != len(ps) && !f.s.sig.Variadic() || len(args) == 1 && len(ps) > 1 {
		return "", false // func(a, b T){...}(g()): rare, and not worth the names
	}
	var names, values []string
	for i, p := range ps {
		var v *types.Var
		if p != nil && p.Name != "_" {
			v, _ = c.info.Defs[p].(*types.Var)
		}
		used := v != nil && f.usedIn(v, lit.Body)
		if i == len(ps)-1 && f.s.sig.Variadic() && !f.s.call.Ellipsis.IsValid() {
			// f(a, b) of func(xs ...T): xs is []T{a, b}.
			var vals []string
			for _, a := range args[i:] {
				val, ok := f.arg(a, used, "v")
				if !ok {
					return "", false
				}
				vals = append(vals, val)
			}
			if used {
				elt := f.text(typs[i].(*ast.Ellipsis).Elt)
				val := "[]" + elt + "(nil)"
				if len(vals) > 0 {
					val = "[]" + elt + "{" + strings.Join(vals, ", ") + "}"
				}
				names, values = append(names, p.Name), append(values, val)
			}
			continue // the variadic parameter is the last
		}
		a := args[i]
		base := "v"
		if p != nil {
			base = p.Name
		}
		val, ok := f.arg(a, used, base)
		if !ok {
			return "", false
		}
		if !used {
			continue // nothing inside refers to it
		}
		if !f.sameType(a, v.Type()) {
			val = convert(f.text(typs[i]), typs[i], val)
		}
		names, values = append(names, p.Name), append(values, val)
	}
	if len(names) == 0 {
		return "", true
	}
	return strings.Join(names, ", ") + " := " + strings.Join(values, ", "), true
}

// arg returns the text of argument a inside the task. A stable argument is
// copied; any other is bound before task.Go, to a fresh local if used or
// else to _, since evaluating it may have effects.
func (f *fixer) arg(a ast.Expr, used bool, base string) (string, bool) {
	if f.c.stable(f.s.cur, a) {
		return f.text(a), true
	}
	if untypedNonConst(f.c.info, a) {
		return "", false
	}
	if !used {
		f.lhs, f.rhs = append(f.lhs, "_"), append(f.rhs, f.text(a))
		return "", true
	}
	return f.bind(a, base), true
}

// sameType reports whether a local initialised from argument a has type t,
// the parameter's: false for a constant of another or no declared type, for
// nil, and for a value that the call converted.
func (f *fixer) sameType(a ast.Expr, t types.Type) bool {
	info := f.c.info
	a = ast.Unparen(a)
	tv := info.Types[a]
	if tv.IsNil() {
		return false
	}
	if tv.Value != nil {
		// Only a named constant has a type of its own; a literal or
		// an expression of constants may be untyped.
		var obj types.Object
		switch a := a.(type) {
		case *ast.Ident:
			obj = info.Uses[a]
		case *ast.SelectorExpr:
			obj = info.Uses[a.Sel]
		}
		k, ok := obj.(*types.Const)
		return ok && types.Identical(k.Type(), t)
	}
	return types.Identical(nav.TypeOf(info, a), t)
}

// convert returns val converted to the type written typ.
func convert(typText string, typ ast.Expr, val string) string {
	switch typ.(type) {
	case *ast.Ident, *ast.SelectorExpr, *ast.IndexExpr, *ast.IndexListExpr, *ast.ArrayType, *ast.MapType:
		return typText + "(" + val + ")"
	}
	return "(" + typText + ")(" + val + ")" // *T(x), func()(x) and <-chan T(x) would parse otherwise
}

// usedIn reports whether v is used in body.
func (f *fixer) usedIn(v *types.Var, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && f.c.info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// lineIndent returns the indentation of the line holding pos.
func (f *fixer) lineIndent(pos token.Pos) string {
	indent, _, _ := f.c.src.Indent(pos)
	return indent
}

// startsLine reports whether only blanks precede pos on its line.
func (f *fixer) startsLine(pos token.Pos) bool {
	_, alone, _ := f.c.src.Indent(pos)
	return alone
}
