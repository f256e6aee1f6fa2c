package sample

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

//go:embed doc.go
var doc string

// Analyzer is the stand-in analyzer.
var Analyzer = lint.New(lint.Spec{
	Name:         "sample",
	Doc:          doc,
	Rules:        []*lint.Rule{ruleHazard, ruleMarked, ruleSpawn, ruleBeta, ruleBroken, ruleSleep, ruleBind},
	RuntimeFixes: true,
	Facts:        &lint.FactPass{Types: []analysis.Fact{new(marked)}, Run: mark},
	Run:          run,
})

var (
	ruleHazard = &lint.Rule{Name: "hazard", Default: true, Since: "v0.1.0"}
	ruleMarked = &lint.Rule{Name: "marked", Default: true, Since: "v0.1.0"}
	ruleSpawn  = &lint.Rule{Name: "spawn", Default: true, Since: "v0.1.0"}
	ruleBeta   = &lint.Rule{Name: "beta", Since: "v0.1.0"}
	ruleBroken = &lint.Rule{Name: "broken", Default: true, Since: "v0.1.0"}
	ruleSleep  = &lint.Rule{Name: "sleep", Default: true, Since: "v0.1.0"}
	ruleBind   = &lint.Rule{Name: "bind", Default: true, Since: "v0.1.0"}
)

// marked is the fact of a function whose name starts with Mark.
type marked struct{}

func (*marked) AFact()         {}
func (*marked) String() string { return "marked" }

// mark is the fact pass: it marks the functions named Mark*.
func mark(pass *lint.Pass) (any, error) {
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && strings.HasPrefix(fd.Name.Name, "Mark") {
				pass.ExportObjectFact(pass.TypesInfo.Defs[fd.Name], new(marked))
			}
		}
	}
	return nil, nil
}

func run(pass *lint.Pass) (any, error) {
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Name.Name == "Beta" {
					pass.Reportf(ruleBeta, n.Name, "function named Beta")
				}
			case *ast.CallExpr:
				call(pass, n)
			case *ast.ExprStmt:
				if call, ok := n.X.(*ast.CallExpr); ok {
					Bind(pass, ruleBind, f, n, call, "UseA", "")
				}
			case *ast.GoStmt:
				spawn(pass, f, n)
			}
			return true
		})
	}
	return nil, nil
}

func call(pass *lint.Pass, n *ast.CallExpr) {
	var id *ast.Ident
	switch fun := n.Fun.(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	default:
		return // not a named function
	}
	switch obj := pass.TypesInfo.Uses[id]; {
	case id.Name == "Crash":
		panic("sample: Crash called")
	case id.Name == "Breaks":
		pass.Report(ruleBroken, analysis.Diagnostic{
			Pos: n.Pos(), End: n.End(), Message: "call to Breaks",
			SuggestedFixes: []analysis.SuggestedFix{{
				Message:   "Call NoSuchFunc instead",
				TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("NoSuchFunc")}},
			}},
		})
	case id.Name == "Sleep" && obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "time":
		pass.Report(ruleSleep, analysis.Diagnostic{
			Pos: n.Pos(), End: n.End(), Message: "call to time.Sleep",
			SuggestedFixes: []analysis.SuggestedFix{{
				Message:   "Call pause instead",
				TextEdits: []analysis.TextEdit{{Pos: n.Fun.Pos(), End: n.Fun.End(), NewText: []byte("pause")}},
			}},
		})
	case id.Name == "Hazard":
		pass.Report(ruleHazard, analysis.Diagnostic{
			Pos: n.Pos(), End: n.End(), Message: "call to Hazard is hazardous",
			SuggestedFixes: []analysis.SuggestedFix{{
				Message:   "Call Safe instead",
				TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("Safe")}},
			}},
		})
	case obj != nil && pass.ImportObjectFact(obj, new(marked)):
		pass.Report(ruleMarked, analysis.Diagnostic{
			Pos: n.Pos(), End: n.End(), Message: "call to marked function " + id.Name,
			Related: []analysis.RelatedInformation{{Pos: obj.Pos(), Message: "marked here"}},
		})
	}
}

// spawn reports a go statement; with runtime fixes allowed, the fix starts
// the call with task.Go, importing the runtime package by hand (the fixture
// files have one import declaration, of "fmt").
func spawn(pass *lint.Pass, f *ast.File, g *ast.GoStmt) {
	d := analysis.Diagnostic{Pos: g.Pos(), End: g.End(), Message: "goroutine started here is never waited for"}
	if pass.RuntimeFixes() && len(f.Imports) == 1 {
		src := pass.Fset.File(g.Pos())
		call := g.Call
		text := func(a, b token.Pos) string {
			content, _ := pass.ReadFile(src.Name())
			return string(content[src.Offset(a):src.Offset(b)])
		}
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message: "Start the goroutine with task.Go",
			TextEdits: []analysis.TextEdit{
				{Pos: f.Imports[0].End(), NewText: []byte("\n\t\"context\"\n\n\t\"github.com/resilvet/resilvet/runtime/task\"")},
				{Pos: g.Pos(), End: g.End(), NewText: []byte(`task.Go(context.Background(), "` + text(call.Fun.Pos(), call.Fun.End()) +
					`", func(context.Context) error { ` + text(call.Pos(), call.End()) + `; return nil })`)},
			},
		}}
	}
	pass.Report(ruleSpawn, d)
}

// Bind reports the statement stmt, a call of a function named fun with one
// call as its argument; the fix binds the argument first, to a variable
// named v (or v2, v3, …: fresh where stmt is, in the code analysed), and,
// if bindFunc is not "", the function too, to a variable of that name.
// Two analyzers' fixes of this kind in one function are what issue 13 item
// 1 is about: each name is fresh only against the code before either edit.
func Bind(pass *lint.Pass, rule *lint.Rule, f *ast.File, stmt *ast.ExprStmt, call *ast.CallExpr, fun, bindFunc string) {
	id, ok := call.Fun.(*ast.Ident)
	if !ok || id.Name != fun || len(call.Args) != 1 {
		return // not fun(arg)
	}
	arg, ok := call.Args[0].(*ast.CallExpr)
	if !ok {
		return // the argument is not a call
	}
	scope := pass.TypesInfo.Scopes[f].Innermost(stmt.Pos())
	fresh := func(base string) string {
		name := base
		for i := 2; ; i++ {
			if _, obj := scope.LookupParent(name, stmt.Pos()); obj == nil {
				return name
			}
			name = fmt.Sprintf("%s%d", base, i)
		}
	}
	content, err := pass.ReadFile(pass.Fset.File(stmt.Pos()).Name())
	if err != nil {
		return // no source
	}
	tf := pass.Fset.File(stmt.Pos())
	src := func(n ast.Node) string { return string(content[tf.Offset(n.Pos()):tf.Offset(n.End())]) }
	v := fresh("v")
	text := v + " := " + src(arg) + "\n\t" + fun + "(" + v + ")"
	if bindFunc != "" {
		fn := fresh(bindFunc)
		text = fn + ", " + v + " := " + fun + ", " + src(arg) + "\n\t" + fn + "(" + v + ")"
	}
	pass.Report(rule, analysis.Diagnostic{
		Pos: stmt.Pos(), End: stmt.End(), Message: "argument of " + fun + " is not bound",
		SuggestedFixes: []analysis.SuggestedFix{{
			Message:   "Bind the argument first",
			TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.End(), NewText: []byte(text)}},
		}},
	})
}
