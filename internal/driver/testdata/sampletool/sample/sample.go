package sample

import (
	_ "embed"
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
	Rules:        []*lint.Rule{ruleHazard, ruleMarked, ruleSpawn, ruleBeta},
	RuntimeFixes: true,
	FactTypes:    []analysis.Fact{new(marked)},
	Run:          run,
})

var (
	ruleHazard = &lint.Rule{Name: "hazard", Default: true, Since: "v0.1.0"}
	ruleMarked = &lint.Rule{Name: "marked", Default: true, Since: "v0.1.0"}
	ruleSpawn  = &lint.Rule{Name: "spawn", Default: true, Since: "v0.1.0"}
	ruleBeta   = &lint.Rule{Name: "beta", Since: "v0.1.0"}
)

// marked is the fact of a function whose name starts with Mark.
type marked struct{}

func (*marked) AFact()         {}
func (*marked) String() string { return "marked" }

func run(pass *lint.Pass) (any, error) {
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && strings.HasPrefix(fd.Name.Name, "Mark") {
				pass.ExportObjectFact(pass.TypesInfo.Defs[fd.Name], new(marked))
			}
		}
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Name.Name == "Beta" {
					pass.Reportf(ruleBeta, n.Name, "function named Beta")
				}
			case *ast.CallExpr:
				call(pass, n)
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
