package envflag

import (
	_ "embed"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

//go:embed doc.go
var doc string

// Analyzer reports process-wide state — environment variables and
// package-level flags — that is not restored on every path, or that is
// used where something narrower would do.
var Analyzer = lint.New(lint.Spec{
	Name:     "envflag",
	Doc:      doc,
	Rules:    []*lint.Rule{ruleUnrestored, ruleChildEnv, ruleLibrary},
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
})

// The rules; docs/precision.md has the measurements behind their defaults:
// all three are off by default and on in the strict profile.
var (
	ruleUnrestored = &lint.Rule{Name: "unrestored", Strict: true, Since: "v0.2.0"}
	ruleChildEnv   = &lint.Rule{Name: "child-env", Strict: true, Since: "v0.2.0"}
	ruleLibrary    = &lint.Rule{Name: "library-setenv", Strict: true, Since: "v0.2.0"}
)

func run(pass *lint.Pass) (any, error) {
	if !pass.AnyEnabled(ruleUnrestored, ruleChildEnv, ruleLibrary) {
		return nil, nil // nothing to report
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := &checker{
		pass:     pass,
		info:     pass.TypesInfo,
		src:      fix.NewSource(pass.Pass),
		reported: make(map[*ast.CallExpr]bool),
		decls:    make(map[*types.Func]inspector.Cursor),
		helpers:  make(map[*types.Func][]*write),
	}
	for cur := range insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok && fd.Body != nil {
			c.decls[fn] = cur
		}
	}
	// Only functions that write process-wide state are checked further:
	// one walk over the package's calls and assignments finds them.
	candidates := make(map[ast.Node]bool)
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil), (*ast.AssignStmt)(nil)) {
		if !c.mayWrite(cur.Node()) {
			continue // writes no process-wide state
		}
		if fcur, ok := nav.EnclosingFunc(cur); ok {
			candidates[fcur.Node()] = true
		}
	}
	for cur := range insp.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if !candidates[cur.Node()] {
			continue // writes no process-wide state itself
		}
		f := newFunction(cur)
		if !pass.Reportable(f.body.Lbrace) {
			continue // generated, or a test file without -envflag.tests
		}
		c.function(f)
	}
	return nil, nil
}

// A checker holds what the checks of one package share.
type checker struct {
	pass *lint.Pass
	info *types.Info
	src  *fix.Source
	// reported holds the environment writes a rule has reported, so that
	// a write gets one diagnostic: child-env, else unrestored, else
	// library-setenv.
	reported map[*ast.CallExpr]bool
	decls    map[*types.Func]inspector.Cursor // the package's functions with a body
	helpers  map[*types.Func][]*write         // memo of helperWrites
	library  *bool                            // memo of isLibrary
}

// function checks one function body with the rules that are on.
func (c *checker) function(f *function) {
	f.writes = c.writesIn(f)
	if len(f.writes) == 0 {
		return // writes no process-wide state
	}
	if c.pass.Enabled(ruleChildEnv) && match.Imports(c.pass.Pkg, "os/exec") {
		c.childEnv(f)
	}
	if c.pass.Enabled(ruleUnrestored) {
		c.unrestored(f)
	}
	if c.pass.Enabled(ruleLibrary) {
		c.librarySetenv(f)
	}
}
