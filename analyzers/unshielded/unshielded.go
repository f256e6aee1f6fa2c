package unshielded

import (
	_ "embed"
	"go/ast"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

//go:embed doc.go
var doc string

// Analyzer reports waits and calls that ignore the context in scope, and
// a caller's cancellable context reaching work that other callers share.
var Analyzer = lint.New(lint.Spec{
	Name:         "unshielded",
	Doc:          doc,
	Rules:        []*lint.Rule{ruleWait, ruleCall, ruleShared},
	RuntimeFixes: true,
	Requires:     []*analysis.Analyzer{inspect.Analyzer},
	Run:          run,
})

// The rules; docs/precision.md has the measurements behind their defaults.
var (
	ruleWait   = &lint.Rule{Name: "detached-wait", Since: "v0.1.0"}
	ruleCall   = &lint.Rule{Name: "detached-call", Strict: true, Since: "v0.1.0"}
	ruleShared = &lint.Rule{Name: "shared-work", Default: true, Since: "v0.1.0"}
)

func run(pass *lint.Pass) (any, error) {
	// A ctx in scope is a context.Context variable or r.Context() of an
	// *http.Request; both need one of these imports. (A ctx declared with
	// an inferred type, ctx := f(), still needs context imported by f's
	// package only; such code is missed, which costs recall, not precision.)
	if !match.Imports(pass.Pkg, "context", "net/http") {
		return nil, nil // no ctx can be in scope here
	}
	if !pass.AnyEnabled(ruleWait, ruleCall, ruleShared) {
		return nil, nil // nothing to report
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	src := fix.NewSource(pass.Pass)
	for fcur := range insp.Root().Children() {
		file := fcur.Node().(*ast.File)
		if !pass.Reportable(file.Package) {
			continue // generated, or a test file without -unshielded.tests
		}
		c := &checker{pass: pass, file: file, ctxs: contexts.NewFile(pass.TypesInfo, fcur).Within(insp.Root()), src: src}
		for cur := range fcur.Preorder((*ast.CallExpr)(nil), (*ast.SelectStmt)(nil), (*ast.ExprStmt)(nil)) {
			switch n := cur.Node().(type) {
			case *ast.CallExpr:
				c.call(cur, n)
			case *ast.SelectStmt:
				if pass.Enabled(ruleWait) {
					c.selectInLoop(cur, n)
				}
			case *ast.ExprStmt:
				if pass.Enabled(ruleWait) {
					c.loneAfter(cur, n)
				}
			}
		}
	}
	return nil, nil
}

// checker holds what the checks of one file share.
type checker struct {
	pass *lint.Pass
	file *ast.File
	ctxs *contexts.File // where the file's contexts come from
	src  *fix.Source
	// overwrites are the assignments reported as cutting a caller's
	// cancellation off before a wait, each reported once.
	overwrites map[*ast.AssignStmt]bool
}

// call dispatches a call to the checks that match its callee.
func (c *checker) call(cur inspector.Cursor, call *ast.CallExpr) {
	fn := match.Callee(c.pass.TypesInfo, call)
	if c.pass.Enabled(ruleCall) {
		c.backgroundArgs(cur, call)
	}
	if fn == nil {
		return // a func value, builtin or conversion: no table row matches
	}
	switch {
	case match.IsFunc(fn, "time", "Sleep"):
		if c.pass.Enabled(ruleWait) {
			c.sleep(cur, call)
		}
	case match.IsMethod(fn, "sync", "Cond", "Wait"):
		if c.pass.Enabled(ruleWait) {
			c.condWait(cur, call)
		}
	case match.IsMethod(fn, "sync", "WaitGroup", "Wait"):
		if c.pass.Enabled(ruleWait) {
			c.waitGroupWait(cur, call)
		}
	default:
		if kind := sharedKindOf(fn); kind.name != "" {
			if c.pass.Enabled(ruleShared) {
				c.sharedWork(cur, call, kind)
			}
			return // no shared-work API has a twin
		}
		if c.pass.Enabled(ruleCall) {
			if row := lookupTwin(fn); row != nil {
				c.twinCall(cur, call, fn, row)
			}
		}
	}
}
