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
// Analyzers are configured on copies (With, AllRules), never by changing the
// shared package-level Analyzer, so tests can run in parallel.
package linttest

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilvet/resilvet/internal/lint"
)

// stubs is the shared stub tree, testdata/src/<import path>/….
//
//go:embed testdata/src
var stubs embed.FS

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

// Run runs a on pkgs, import paths under the calling test's testdata/src,
// and checks the // want comments there, as analysistest.Run does.
func Run(t *testing.T, a *analysis.Analyzer, pkgs ...string) []*analysistest.Result {
	t.Helper()
	return analysistest.Run(t, tree(t), a, pkgs...)
}

// RunWithFixes is Run that also checks the suggested fixes: for every
// source file with a .golden beside it, the file with every fix applied
// must equal its golden, as analysistest.RunWithSuggestedFixes checks. A
// .golden equal to its source file says that no fix is offered in that file;
// that is checked too.
func RunWithFixes(t *testing.T, a *analysis.Analyzer, pkgs ...string) []*analysistest.Result {
	t.Helper()
	results := analysistest.RunWithSuggestedFixes(t, tree(t), a, pkgs...)
	checkNoFix(t, results)
	return results
}

// RunIn runs a on patterns in dir, a testdata directory of the calling
// test's package that holds a module of its own (a go.mod, e.g. to set its
// Go version), and checks its // want comments. The shared stubs are not
// available there.
func RunIn(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*analysistest.Result {
	t.Helper()
	return analysistest.Run(t, filepath.Join(analysistest.TestData(), dir), a, patterns...)
}

// RunWithFixesIn is RunIn that also checks the suggested fixes, as
// RunWithFixes does.
func RunWithFixesIn(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*analysistest.Result {
	t.Helper()
	results := analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), dir), a, patterns...)
	checkNoFix(t, results)
	return results
}

// tree returns a fresh GOPATH tree holding the calling test's testdata/src
// and the shared stubs. A copy per test keeps parallel tests apart; the
// trees are small.
func tree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if err := os.CopyFS(src, os.DirFS(filepath.Join(analysistest.TestData(), "src"))); err != nil {
		t.Fatalf("linttest: copying testdata/src: %v", err)
	}
	shared, err := fs.Sub(stubs, "testdata/src")
	if err != nil {
		t.Fatal(err) // cannot happen: the embedded tree has that directory
	}
	err = fs.WalkDir(shared, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(src, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if _, err := os.Stat(target); err == nil {
			return fmt.Errorf("testdata/src/%s is a shared stub of internal/linttest: remove the analyzer's copy", path)
		}
		data, err := fs.ReadFile(shared, path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatalf("linttest: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("linttest: files under %s are copies of testdata/src and the shared stubs of internal/linttest", src)
		}
	})
	return dir
}

// checkNoFix checks that no fix edits a source file whose .golden equals
// it: analysistest compares only the files that some fix edits.
func checkNoFix(t errorer, results []*analysistest.Result) {
	t.Helper()
	edited := make(map[string]bool)
	dirs := make(map[string]bool)
	for _, r := range results {
		if r.Pass == nil {
			continue // not analysed
		}
		for _, f := range r.Pass.Files {
			dirs[filepath.Dir(r.Pass.Fset.File(f.FileStart).Name())] = true
		}
		for _, d := range r.Diagnostics {
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					edited[r.Pass.Fset.File(e.Pos).Name()] = true
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
