package rawbreaker

import (
	_ "embed"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

//go:embed doc.go
var doc string

// Analyzer reports hand-rolled and third-party circuit breakers, breakers
// made anew for every call, and retry delays that grow with no jitter.
var Analyzer = lint.New(lint.Spec{
	Name:         "rawbreaker",
	Doc:          doc,
	Rules:        []*lint.Rule{ruleHandrolled, ruleForeign, rulePerCall, ruleNoJitter},
	RuntimeFixes: true,
	Options:      []*lint.Option{optCanonical},
	Requires:     []*analysis.Analyzer{inspect.Analyzer},
	Facts:        &lint.FactPass{Types: []analysis.Fact{new(breakers)}, Run: findBreakerFact},
	Run:          run,
})

// The rules; docs/precision.md has the measurements behind their defaults.
var (
	ruleHandrolled = &lint.Rule{Name: "handrolled", Strict: true, Since: "v0.2.0"}
	ruleForeign    = &lint.Rule{Name: "foreign", Strict: true, Since: "v0.2.0"}
	rulePerCall    = &lint.Rule{Name: "per-call", Strict: true, Since: "v0.2.0"}
	ruleNoJitter   = &lint.Rule{Name: "no-jitter", Strict: true, Since: "v0.2.0"}
)

// optCanonical names the breaker package a program standardises on.
var optCanonical = &lint.Option{
	Name:    "canonical",
	Default: breakerPath,
	Usage:   "the canonical circuit-breaker `packages`, comma-separated import paths (a path covers the packages below it): foreign reports the other breaker libraries, handrolled the types outside them",
}

// The runtime packages the fixes rewrite to.
const (
	breakerPath = match.RuntimePath + "/breaker"
	retryPath   = match.RuntimePath + "/retry"
)

// findBreakerFact is the fact pass: it computes and exports the package's
// fact on every package, dependencies included, so that per-call knows the
// hand-rolled breaker types a package imports and a program's main package
// all of its own. It returns the checker, which the reporting pass goes on
// with.
func findBreakerFact(pass *lint.Pass) (any, error) {
	c := &checker{
		pass:      pass,
		canonical: parseCanonical(pass.Option(optCanonical)),
	}
	c.known, c.local = c.breakerFact()
	return c, nil
}

func run(pass *lint.Pass) (any, error) {
	c := *pass.Facts().(*checker)
	c.pass = pass
	c.insp = pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c.src = fix.NewSource(pass.Pass)
	if pass.Enabled(ruleHandrolled) {
		for _, l := range c.local {
			c.reportHandrolled(l, c.known)
		}
		if pass.Pkg.Name() == "main" {
			c.reportProgram(c.known)
		}
	}
	if pass.AnyEnabled(ruleForeign, rulePerCall) {
		c.constructions()
	}
	if pass.Enabled(ruleNoJitter) {
		c.jitter()
	}
	return nil, nil
}

// checker holds what the checks of one package share.
type checker struct {
	pass      *lint.Pass
	insp      *inspector.Inspector
	src       *fix.Source
	canonical []string
	known     *breakers      // the hand-rolled breaker types this package sees
	local     []localBreaker // the package's own hand-rolled breaker types

	pending     []pendingPerCall              // per-call findings, reported last
	randomFuncs map[*types.Func]bool          // memo of randomFunc
	decls       map[*types.Func]*ast.FuncDecl // the package's functions, on first use
	assigned    map[*types.Var]bool           // fields the package assigns, on first use
	states      map[*types.Named]bool         // memo of namedState
	consts      map[*types.Package][]*types.Const
}

func parseCanonical(s string) []string {
	var paths []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			paths = append(paths, p)
		}
	}
	return paths
}

// isCanonical reports whether the package at path is, or is below, one of
// the canonical packages.
func (c *checker) isCanonical(path string) bool {
	return under(path, c.canonical...)
}

// under reports whether path is one of roots or below one.
func under(path string, roots ...string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, r+"/") {
			return true
		}
	}
	return false
}

// isTestFile reports whether f is a _test.go file: no part of a program.
func isTestFile(pass *lint.Pass, f *ast.File) bool {
	return f != nil && strings.HasSuffix(pass.Fset.File(f.FileStart).Name(), "_test.go")
}

func analysisDiag(n ast.Node, msg string) analysis.Diagnostic {
	return analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: msg}
}
