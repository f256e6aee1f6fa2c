package resilvet_test

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/lint"
)

// layers is the import rule of docs/architecture.md: for each package of
// the module (by path below the module; "analyzers/*" stands for every
// analyzer), the packages of the module its non-test files may import. A
// package that no row names fails the test, so a new package comes with a
// decision about where it sits.
var layers = map[string][]string{
	"internal/match":    {},
	"internal/nav":      {},
	"internal/srctest":  {},
	"internal/e2e":      {},
	"internal/lint":     {"internal/match"},
	"internal/fix":      {"internal/match"},
	"internal/contexts": {"internal/match", "internal/nav"},
	"internal/linttest": {"internal/lint"},
	"internal/driver":   {"internal/lint", "internal/match", "internal/nav"},
	"analyzers/*":       {"internal/lint", "internal/match", "internal/nav", "internal/fix", "internal/contexts"},
	".":                 {"analyzers/*", "internal/lint"},
	"cmd/resilvet":      {".", "internal/driver"},
	"plugin":            {".", "internal/lint"},
	// Measurement tools may use anything but the analyzers' internals.
	"bench/*": {".", "analyzers/*", "internal/driver", "internal/lint", "internal/match", "internal/nav", "bench/internal/*"},
}

// TestArchitecture checks the import rule.
func TestArchitecture(t *testing.T) {
	t.Parallel()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedImports}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) (string, bool) {
		if p == lint.ModulePath {
			return ".", true
		}
		r, ok := strings.CutPrefix(p, lint.ModulePath+"/")
		return r, ok
	}
	// row returns the row of layers that names the package at r.
	row := func(r string) (string, bool) {
		if _, ok := layers[r]; ok {
			return r, true
		}
		for pattern := range layers {
			if matches(pattern, r) {
				return pattern, true
			}
		}
		return "", false
	}
	for _, p := range pkgs {
		r, ok := rel(p.PkgPath)
		if !ok {
			continue // not of this module
		}
		self, ok := row(r)
		if !ok {
			t.Errorf("%s: no row of the import rule names this package: add one (docs/architecture.md)", r)
			continue
		}
		for imp := range p.Imports {
			ir, ok := rel(imp)
			if !ok {
				continue // another module
			}
			if !slices.ContainsFunc(layers[self], func(a string) bool { return matches(a, ir) }) {
				t.Errorf("%s imports %s, which the import rule does not allow (docs/architecture.md)", r, ir)
			}
		}
	}
}

// matches reports whether the row pattern names the package at r: the same
// path, or for "dir/*" any package below dir.
func matches(pattern, r string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(r, prefix+"/")
	}
	return pattern == r
}

// TestCheapFacts checks the rule of docs/architecture.md ("Cheap facts"):
// the fact passes, which run on every dependency, build no inspector, so
// none of them requires inspect.Analyzer, directly or through another
// analyzer.
func TestCheapFacts(t *testing.T) {
	t.Parallel()
	var requires func(a *analysis.Analyzer) bool
	requires = func(a *analysis.Analyzer) bool {
		return a == inspect.Analyzer || slices.ContainsFunc(a.Requires, requires)
	}
	facts := 0
	for _, a := range resilvet.Suite {
		fa := lint.FactsOf(a)
		if fa == nil {
			continue // no facts
		}
		facts++
		if requires(fa) {
			t.Errorf("%s: the fact pass %s requires inspect.Analyzer: it would build an inspector for every dependency", a.Name, fa.Name)
		}
	}
	if facts == 0 {
		t.Fatal("no analyzer of the suite has a fact pass: the test checks nothing")
	}
}
