package fireforget_test

import (
	"testing"

	"github.com/resilvet/resilvet/analyzers/fireforget"
	"github.com/resilvet/resilvet/internal/linttest"
)

func TestUntracked(t *testing.T) {
	t.Parallel()
	linttest.Run(t, fireforget.Analyzer, "untracked")
}

// TestLostError switches lost-error on: it is off by default (see doc.go).
func TestLostError(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "rules=+lost-error"), "lost", "mainpkg")
}

func TestFix(t *testing.T) {
	t.Parallel()
	a := linttest.With(t, fireforget.Analyzer, "runtimefixes=true", "rules=+lost-error")
	linttest.RunWithFixes(t, a, "fix")
}

func TestShadow(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true"), "shadow")
}

func TestGoVersion(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true"), "version")
}

// TestLineDirective: a //line directive past the end of the file neither
// fails the analysis nor moves the fix's edits off their physical lines.
func TestLineDirective(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true"), "linedirective")
}

// TestFreshNames: the fixes of one function bind distinct names.
func TestFreshNames(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true"), "freshnames")
}

// TestLaunchers checks the launcher facts across packages; see also
// TestVetLaunchers, which checks them under go vet.
func TestLaunchers(t *testing.T) {
	t.Parallel()
	linttest.Run(t, fireforget.Analyzer, "launch/up", "launch/down")
}

func TestGenerated(t *testing.T) {
	t.Parallel()
	linttest.Run(t, fireforget.Analyzer, "gen")
}

func TestTestFiles(t *testing.T) {
	t.Parallel()
	linttest.Run(t, fireforget.Analyzer, "testfilesoff")
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "tests=true"), "testfiles")
}

func TestNoRecover(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "rules=+no-recover"), "norecover")
}

func TestUnjoined(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "rules=+unjoined"), "unjoined")
}

// TestRuntimeFixes checks the runtime-fix policy: without
// -fireforget.runtimefixes, a fix is offered only where the package
// already depends on the runtime.
func TestRuntimeFixes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pkg     string
		wantFix bool
	}{
		{"nofix", false},
		{"withruntime", true},
	} {
		results := linttest.Run(t, fireforget.Analyzer, tc.pkg)
		n := 0
		for _, r := range results {
			for _, d := range r.Diagnostics {
				n++
				if got := len(d.SuggestedFixes) > 0; got != tc.wantFix {
					t.Errorf("%s: %s: fix offered = %v, want %v", tc.pkg, d.Message, got, tc.wantFix)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no diagnostics", tc.pkg)
		}
	}
}
