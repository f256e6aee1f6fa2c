package silentimport

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

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
	sig := enclosingSignature(pass.TypesInfo, s.stmtCur)
	if sig == nil || sig.Results().Len() == 0 || !match.IsError(sig.Results().At(sig.Results().Len()-1).Type()) {
		return none, false // the function cannot return the error
	}
	file := pass.File(s.call.Pos())
	indent, _, ok := s.src.Indent(s.stmt.Pos())
	if !ok {
		return none, false // the source is unreadable
	}
	eol, ok := s.src.LineEnd(s.stmt.End())
	if !ok {
		return none, false // more code follows on the line
	}

	// The zero values of the other results, each importing what it names.
	var edits []analysis.TextEdit
	var results []string
	for i := 0; i < sig.Results().Len()-1; i++ {
		z, zedits, ok := fix.ZeroValue(pass.TypesInfo, file, pass.Pkg, s.stmt.Pos(), sig.Results().At(i).Type())
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
		name = s.names.Fresh(pass.TypesInfo, file, pos, "err")
	}
	results = append(results, name)
	check := fmt.Sprintf("%s != nil {\n%s\treturn %s\n%s}", name, indent, strings.Join(results, ", "), indent)

	as, isAssign := s.stmt.(*ast.AssignStmt)
	switch {
	case s.errExpr == nil:
		// f() → if _, err := f(); err != nil { … }
		blanks := strings.Repeat("_, ", s.fn.Signature().Results().Len()-1)
		edits = append(edits,
			fix.Insert(s.call.Pos(), "if "+blanks+name+" := "),
			fix.Insert(s.call.End(), "; "+check))
	case isAssign && as.Tok == token.ASSIGN && !allBlank(s.lhs[:len(s.lhs)-1]):
		// x, _ = f() → var err error; x, err = f(); if err != nil { … }
		edits = append(edits,
			fix.Insert(s.stmt.Pos(), "var "+name+" error\n"+indent),
			fix.Replace(s.errExpr, name),
			fix.Insert(eol, "\n"+indent+"if "+check))
	case isAssign && as.Tok == token.ASSIGN:
		// _, _ = f() → _, err := f(): err is the new variable := needs.
		edits = append(edits,
			fix.Replace(s.errExpr, name),
			analysis.TextEdit{Pos: as.TokPos, End: as.TokPos + token.Pos(len("=")), NewText: []byte(":=")},
			fix.Insert(eol, "\n"+indent+"if "+check))
	default:
		// x, _ := f() and var x, _ = f(): x is new, so := still declares
		// a variable.
		edits = append(edits,
			fix.Replace(s.errExpr, name),
			fix.Insert(eol, "\n"+indent+"if "+check))
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Return the error of %s", loadName(s.fn)),
		TextEdits: fix.Dedup(edits),
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
	prefix, edits, ok := fix.AddImport(pass.TypesInfo, file, s.call.Pos(), match.GuardPath, "guard", "Must")
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
	edits = append(edits, fix.Insert(s.call.Pos(), prefix+"Must("), fix.Insert(s.call.End(), ")"))
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Stop start-up if %s fails, with guard.Must", loadName(s.fn)),
		TextEdits: edits,
	}, true
}

// startup reports whether the site runs once at start-up: directly in main
// or init (not in a function literal, which may run later), or in a
// package-level var declaration.
func startup(s *site) bool {
	fn, ok := nav.EnclosingFunc(s.stmtCur)
	if !ok {
		return s.spec != nil // a package-level var
	}
	switch fn := fn.Node().(type) {
	case *ast.FuncDecl:
		return fn.Recv == nil && (fn.Name.Name == "main" || fn.Name.Name == "init")
	}
	return false
}

// enclosingSignature returns the signature of the function around cur, or
// nil at package level.
func enclosingSignature(info *types.Info, cur inspector.Cursor) *types.Signature {
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		return nil
	}
	return signatureOf(info, fn.Node())
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
