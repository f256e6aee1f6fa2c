package silentimport

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"

	"github.com/resilvet/resilvet/internal/imports"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

const guardPath = lint.RuntimePath + "/guard"

// returnFix makes the function return the load's error: _ becomes a fresh
// error variable checked right after the statement, or a call statement
// becomes if _, err := load(); err != nil { … }. It applies when the
// enclosing function returns an error last and the statement sits directly
// in a block, so that a statement can follow it.
func returnFix(pass *lint.Pass, s *site) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	if s.stmt == nil {
		return none, false // a package-level var, or one spec of several
	}
	switch k, _ := s.stmtCur.ParentEdge(); k {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body:
	default:
		return none, false // an if, for or switch header, or a labelled statement
	}
	fnNode := enclosingFunc(s.stmtCur)
	sig := signatureOf(pass.TypesInfo, fnNode)
	if sig == nil || sig.Results().Len() == 0 || !isError(sig.Results().At(sig.Results().Len()-1).Type()) {
		return none, false // the function cannot return the error
	}
	file := pass.File(s.call.Pos())
	indent, eol, ok := lineOf(pass, s.stmt)
	if !ok {
		return none, false // the source is unreadable, or more code follows on the line
	}

	// The zero values of the other results, each importing what it names.
	var edits []analysis.TextEdit
	var results []string
	for i := 0; i < sig.Results().Len()-1; i++ {
		z, zedits, ok := zeroValue(pass, file, s.stmt.Pos(), sig.Results().At(i).Type())
		if !ok {
			return none, false // a zero value we cannot spell here
		}
		results = append(results, z)
		edits = append(edits, zedits...)
	}

	// Pick the error's name. A call statement declares it in the if
	// statement's own scope, where only an error variable of the same name
	// could be hidden, harmlessly; otherwise it must be fresh so that no
	// variable is shadowed or overwritten.
	pos := s.stmt.Pos()
	fileScope := pass.TypesInfo.Scopes[file]
	if fileScope == nil || fileScope.Innermost(pos) == nil {
		return none, false // no scope information to pick a name with
	}
	name := "err"
	if _, obj := fileScope.Innermost(pos).LookupParent(name, pos); s.errExpr != nil || !isVar(obj) {
		name = imports.FreshName(pass.TypesInfo, file, pos, "err")
	}
	results = append(results, name)
	check := fmt.Sprintf("%s != nil {\n%s\treturn %s\n%s}", name, indent, strings.Join(results, ", "), indent)

	as, isAssign := s.stmt.(*ast.AssignStmt)
	switch {
	case s.errExpr == nil:
		// f() → if _, err := f(); err != nil { … }
		blanks := strings.Repeat("_, ", s.fn.Signature().Results().Len()-1)
		edits = append(edits,
			insert(s.call.Pos(), "if "+blanks+name+" := "),
			insert(s.call.End(), "; "+check))
	case isAssign && as.Tok == token.ASSIGN && !allBlank(s.lhs[:len(s.lhs)-1]):
		// x, _ = f() → var err error; x, err = f(); if err != nil { … }
		edits = append(edits,
			insert(s.stmt.Pos(), "var "+name+" error\n"+indent),
			replace(s.errExpr, name),
			insert(eol, "\n"+indent+"if "+check))
	case isAssign && as.Tok == token.ASSIGN:
		// _, _ = f() → _, err := f(): err is the new variable := needs.
		edits = append(edits,
			replace(s.errExpr, name),
			analysis.TextEdit{Pos: as.TokPos, End: as.TokPos + token.Pos(len("=")), NewText: []byte(":=")},
			insert(eol, "\n"+indent+"if "+check))
	default:
		// x, _ := f() and var x, _ = f(): x is new, so := still declares
		// a variable.
		edits = append(edits,
			replace(s.errExpr, name),
			insert(eol, "\n"+indent+"if "+check))
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Return the error of %s", loadName(s.fn)),
		TextEdits: dedup(edits),
	}, true
}

// mustFix wraps the load in guard.Must, which panics when it fails: in
// start-up code of package main only, under the runtime-fix policy, in a
// file that may call a generic function, for a load with one other result.
func mustFix(pass *lint.Pass, s *site) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	if pass.Pkg.Name() != "main" || !startup(s) {
		return none, false // a panic is no way to fail outside start-up
	}
	if s.fn.Signature().Results().Len() != 2 {
		return none, false // guard.Must takes one value and an error
	}
	if !pass.RuntimeFixes() {
		return none, false // the runtime module is not available to import
	}
	if !pass.AtLeast(s.call.Pos(), "go1.18") {
		return none, false // guard.Must is generic
	}
	file := pass.File(s.call.Pos())
	prefix, edits, ok := imports.AddImport(pass.TypesInfo, file, s.call.Pos(), guardPath, "guard", "Must")
	if !ok {
		return none, false // guard cannot be named here
	}
	as, isAssign := s.stmt.(*ast.AssignStmt)
	switch {
	case s.lhs == nil:
		// f() → guard.Must(f())
	case isAssign && as.Tok == token.ASSIGN && isBlank(s.lhs[0]):
		// _, _ = f() → guard.Must(f())
		edits = append(edits, analysis.TextEdit{Pos: s.lhs[0].Pos(), End: s.call.Pos()})
	default:
		// x, _ := f() → x := guard.Must(f()); likewise with = and var.
		edits = append(edits, analysis.TextEdit{Pos: s.lhs[0].End(), End: s.lhs[1].End()})
	}
	edits = append(edits, insert(s.call.Pos(), prefix+"Must("), insert(s.call.End(), ")"))
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Stop start-up if %s fails, with guard.Must", loadName(s.fn)),
		TextEdits: edits,
	}, true
}

// startup reports whether the site runs once at start-up: directly in main
// or init (not in a function literal, which may run later), or in a
// package-level var declaration.
func startup(s *site) bool {
	fnNode := enclosingFunc(s.stmtCur)
	switch fn := fnNode.(type) {
	case nil:
		return s.spec != nil // a package-level var
	case *ast.FuncDecl:
		return fn.Recv == nil && (fn.Name.Name == "main" || fn.Name.Name == "init")
	}
	return false
}

func signatureOf(info *types.Info, fn ast.Node) *types.Signature {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := info.Defs[fn.Name].(*types.Func); ok {
			return obj.Signature()
		}
	case *ast.FuncLit:
		if sig, ok := info.TypeOf(fn).(*types.Signature); ok {
			return sig
		}
	}
	return nil
}

var errorType = types.Universe.Lookup("error").Type()

func isError(t types.Type) bool { return types.Identical(t, errorType) }

func isVar(obj types.Object) bool {
	_, ok := obj.(*types.Var)
	return ok || obj == nil
}

func allBlank(es []ast.Expr) bool {
	for _, e := range es {
		if !isBlank(e) {
			return false
		}
	}
	return true
}

// lineOf returns the indentation of the line stmt starts on, and where a statement after it can be inserted: the end
// of its last line, after a line comment. It fails when more code follows
// stmt on that line.
func lineOf(pass *lint.Pass, stmt ast.Stmt) (indent string, eol token.Pos, ok bool) {
	tf := pass.Fset.File(stmt.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil || tf.Size() != len(src) {
		return "", 0, false // cannot read the file the syntax came from
	}
	start := tf.Offset(tf.LineStart(tf.Line(stmt.Pos())))
	line := src[start:tf.Offset(stmt.Pos())]
	indent = string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])

	end := tf.Offset(stmt.End())
	rest := src[end:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	trimmed := bytes.TrimSpace(rest)
	if len(trimmed) > 0 && !bytes.HasPrefix(trimmed, []byte("//")) {
		return "", 0, false // another statement or a block comment follows on the line
	}
	return indent, tf.Pos(end + len(bytes.TrimRight(rest, " \t\r"))), true
}

// zeroValue spells the zero value of t at pos in file, with the edits
// that import the packages it names. It fails for types that cannot be
// named there: unexported types of other packages, unnamed structs and
// arrays.
func zeroValue(pass *lint.Pass, file *ast.File, pos token.Pos, t types.Type) (string, []analysis.TextEdit, bool) {
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", nil, true
		case u.Info()&types.IsNumeric != 0:
			return "0", nil, true
		case u.Info()&types.IsString != 0:
			return `""`, nil, true
		case u.Kind() == types.UnsafePointer:
			return "nil", nil, true
		}
		return "", nil, false // invalid type
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature:
		return "nil", nil, true
	case *types.Interface:
		if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
			return "*new(" + tp.Obj().Name() + ")", nil, true
		}
		return "nil", nil, true
	}
	// A struct or array: T{} needs T's name.
	var obj *types.TypeName
	switch n := t.(type) {
	case *types.Named:
		obj = n.Obj()
	case *types.Alias:
		obj = n.Obj()
	default:
		return "", nil, false // an unnamed struct or array type
	}
	if obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
		return types.TypeString(t, types.RelativeTo(pass.Pkg)) + "{}", nil, true
	}
	if !obj.Exported() {
		return "", nil, false // cannot be named outside its package
	}
	var edits []analysis.TextEdit
	failed := false
	qual := func(p *types.Package) string {
		if p == pass.Pkg {
			return ""
		}
		prefix, e, ok := imports.AddImport(pass.TypesInfo, file, pos, match.PkgPath(p), p.Name(), obj.Name())
		failed = failed || !ok
		edits = append(edits, e...)
		return strings.TrimSuffix(prefix, ".")
	}
	s := types.TypeString(t, qual)
	if failed {
		return "", nil, false // a package that cannot be named here
	}
	return s + "{}", edits, true
}

func insert(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}

func replace(n ast.Node, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: n.Pos(), End: n.End(), NewText: []byte(text)}
}

// dedup drops repeated edits: zero values of two results may each add the
// same import.
func dedup(edits []analysis.TextEdit) []analysis.TextEdit {
	var out []analysis.TextEdit
	for _, e := range edits {
		if !slices.ContainsFunc(out, func(o analysis.TextEdit) bool {
			return o.Pos == e.Pos && o.End == e.End && bytes.Equal(o.NewText, e.NewText)
		}) {
			out = append(out, e)
		}
	}
	return out
}
