package fireforget_test

import (
	"testing"

	"github.com/resilvet/resilvet/analyzers/fireforget"
	"github.com/resilvet/resilvet/internal/linttest"
)

func TestUntracked(t *testing.T) {
	t.Parallel()
	linttest.Run(t, fireforget.Analyzer, "untracked", "untracked/serve", "clitool")
}

// TestAfterFunc: a go statement that only arms a timer is reported with a
// fix that drops the go.
func TestAfterFunc(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, fireforget.Analyzer, "afterfunc")
}

// TestStrict: the strict profile reports what the default leaves alone:
// goroutines that end by themselves, a process's daemons, callbacks.
func TestStrict(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "strict=true"), "strict", "strictmain")
}

// TestLostError switches lost-error on: it is off by default (see doc.go).
func TestLostError(t *testing.T) {
	t.Parallel()
	// Strict, unjoined apart: the go statements of package lost that drop
	// no error are one-shots, reported as untracked there.
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "rules=+lost-error,-unjoined", "strict=true"), "lost")
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "rules=+lost-error"), "mainpkg")
}

func TestFix(t *testing.T) {
	t.Parallel()
	// The strict profile reports the one-shot goroutines whose fixes the
	// cases exercise.
	a := linttest.With(t, fireforget.Analyzer, "runtimefixes=true", "rules=+lost-error", "strict=true")
	linttest.RunWithFixes(t, a, "fix")
}

func TestShadow(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true", "strict=true"), "shadow")
}

func TestGoVersion(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true", "strict=true"), "version")
}

// TestLineDirective: a //line directive past the end of the file neither
// fails the analysis nor moves the fix's edits off their physical lines.
func TestLineDirective(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true", "strict=true"), "linedirective")
}

// TestFreshNames: the fixes of one function bind distinct names.
func TestFreshNames(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, fireforget.Analyzer, "runtimefixes=true", "strict=true"), "freshnames")
}

// TestNoShutdown: a program that starts default-group tasks, itself or
// through a package it imports, must call task.Shutdown from main.
func TestNoShutdown(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, fireforget.Analyzer, "noshutdown/lib", "noshutdown/cmd", "noshutdown/ok", "noshutdown/exits", "noshutdown/endless", "noshutdown/watches")
}

// TestLaunchers checks the launcher facts across packages; see also
// TestVetLaunchers, which checks them under go vet.
func TestLaunchers(t *testing.T) {
	t.Parallel()
	// The functions passed end by themselves: the strict profile reports
	// their launchers' calls; untracked.viaLauncher shows the default's.
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "strict=true", "rules=-unjoined"), "launch/up", "launch/down")
}

func TestGenerated(t *testing.T) {
	t.Parallel()
	linttest.Run(t, fireforget.Analyzer, "gen")
}

func TestTestFiles(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "strict=true"), "testfilesoff")
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "tests=true", "strict=true"), "testfiles")
}

func TestNoRecover(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, fireforget.Analyzer, "rules=+no-recover", "strict=true"), "norecover")
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
		results := linttest.Run(t, linttest.With(t, fireforget.Analyzer, "strict=true"), tc.pkg)
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
