// Package linttest runs resilvet's analyzers on their testdata, the way
// every analyzer's tests do:
//
//	func TestUntracked(t *testing.T) {
//		t.Parallel()
//		linttest.Run(t, fireforget.Analyzer, "untracked")
//	}
//
//	func TestFix(t *testing.T) {
//		t.Parallel()
//		a := linttest.With(t, fireforget.Analyzer, "runtimefixes=true", "rules=+lost-error")
//		linttest.RunWithFixes(t, a, "fix")
//	}
//
// Packages are import paths under the test's testdata/src, as for
// analysistest, with one difference: the stubs of the libraries and runtime
// packages the analyzers know (golang.org/x/sync, the runtime module, …)
// live once, in this package's testdata/src, and are available to every
// analyzer's testdata. An analyzer's own testdata/src must not hold a copy.
//
// The checks are analysistest's: // want comments for diagnostics and
// facts, .golden files for fixes. What differs is the cost: every package
// under testdata/src is loaded once per test binary, and each test runs its
// analyzer over its packages within that load (see load.go).
//
// Analyzers are configured on copies (With, AllRules), never by changing the
// shared package-level Analyzer, so tests can run in parallel.
package linttest

import (
	"bytes"
	"go/ast"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
)

// With returns a copy of a, an analyzer built by lint.New, with its flags
// set: each of flags is "name=value" for a flag of the analyzer, such as
// "rules=+all", "runtimefixes=true" or "tests=true".
func With(t testing.TB, a *analysis.Analyzer, flags ...string) *analysis.Analyzer {
	t.Helper()
	c := lint.Clone(a)
	for _, f := range flags {
		name, value, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("linttest.With: flag %q is not name=value", f)
		}
		if err := c.Flags.Set(name, value); err != nil {
			t.Fatalf("linttest.With: -%s.%s: %v", a.Name, f, err)
		}
	}
	return c
}

// AllRules returns a copy of a with every rule switched on.
func AllRules(t testing.TB, a *analysis.Analyzer, flags ...string) *analysis.Analyzer {
	t.Helper()
	return With(t, a, append([]string{"rules=+all"}, flags...)...)
}

// A Result is what an analyzer did on one of the packages a test named
// (or a test variant of one).
type Result struct {
	Action      *checker.Action
	Fset        *token.FileSet
	Files       []*ast.File
	Diagnostics []analysis.Diagnostic
}

// Run runs a on pkgs, import paths under the calling test's testdata/src,
// and checks the // want comments there, as analysistest.Run does.
func Run(t *testing.T, a *analysis.Analyzer, pkgs ...string) []*Result {
	t.Helper()
	return runShared(t, a, false, pkgs)
}

// RunWithFixes is Run that also checks the suggested fixes: for every
// source file with a .golden beside it, the file with every fix applied
// must equal its golden, as analysistest.RunWithSuggestedFixes checks. A
// .golden equal to its source file says that no fix is offered in that file;
// that is checked too.
func RunWithFixes(t *testing.T, a *analysis.Analyzer, pkgs ...string) []*Result {
	t.Helper()
	return runShared(t, a, true, pkgs)
}

// RunIn runs a on patterns in dir, a testdata directory of the calling
// test's package that holds a module of its own (a go.mod, e.g. to set its
// Go version), and checks its // want comments. The shared stubs are not
// available there.
func RunIn(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*Result {
	t.Helper()
	return runIn(t, dir, a, false, patterns)
}

// RunWithFixesIn is RunIn that also checks the suggested fixes, as
// RunWithFixes does.
func RunWithFixesIn(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*Result {
	t.Helper()
	return runIn(t, dir, a, true, patterns)
}

func runShared(t *testing.T, a *analysis.Analyzer, fixes bool, pkgs []string) []*Result {
	t.Helper()
	tr, err := shared()
	if err != nil {
		t.Fatalf("linttest: loading testdata/src: %v", err)
	}
	return run(t, tr, a, fixes, func() ([]*packages.Package, error) { return tr.packages(pkgs) })
}

func runIn(t *testing.T, dir string, a *analysis.Analyzer, fixes bool, patterns []string) []*Result {
	t.Helper()
	tr, pkgs, err := module(filepath.Join(analysistest.TestData(), dir), patterns)
	return run(t, tr, a, fixes, func() ([]*packages.Package, error) { return pkgs, err })
}

// run analyses the packages that load returns with a, as analysistest
// does, and checks the results.
func run(t *testing.T, tr *tree, a *analysis.Analyzer, fixes bool, load func() ([]*packages.Package, error)) []*Result {
	t.Helper()
	pkgs, err := load()
	if err != nil {
		t.Errorf("loading: %v", err)
		return nil
	}
	if !a.RunDespiteErrors {
		// In the log, not on stderr: a test may expect them.
		packages.Visit(pkgs, nil, func(p *packages.Package) {
			for _, err := range p.Errors {
				t.Log(err)
			}
		})
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Errorf("Analyze: %v", err)
		return nil
	}
	var results []*Result
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("error analyzing %s: %v", act, act.Err)
		} else {
			checkWants(t, tr, act)
			if fixes {
				checkGoldens(t, tr, act)
			}
		}
		results = append(results, &Result{Action: act, Fset: act.Package.Fset, Files: act.Package.Syntax, Diagnostics: act.Diagnostics})
	}
	if fixes {
		checkNoFix(t, results)
	}
	return results
}

// checkNoFix checks that no fix edits a source file whose .golden equals
// it: analysistest compares only the files that some fix edits.
func checkNoFix(t errorer, results []*Result) {
	t.Helper()
	edited := make(map[string]bool)
	dirs := make(map[string]bool)
	for _, r := range results {
		for _, f := range r.Files {
			dirs[filepath.Dir(r.Fset.File(f.FileStart).Name())] = true
		}
		for _, d := range r.Diagnostics {
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					edited[r.Fset.File(e.Pos).Name()] = true
				}
			}
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		goldens, _ := filepath.Glob(filepath.Join(dir, "*.go.golden"))
		for _, golden := range goldens {
			source := strings.TrimSuffix(golden, ".golden")
			if edited[source] {
				continue // analysistest compared it
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Error(err)
				continue
			}
			got, err := os.ReadFile(source)
			if err != nil {
				t.Errorf("%s has no source file: %v", filepath.Base(golden), err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: no fix was offered, but the golden file differs from the source", filepath.Base(source))
			}
		}
	}
}

// errorer is the part of testing.TB that checkNoFix uses.
type errorer interface {
	Helper()
	Errorf(format string, args ...any)
	Error(args ...any)
}
