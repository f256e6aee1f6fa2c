package fireforget_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilvet/resilvet/analyzers/fireforget"
)

// setFlag sets a flag of the shared Analyzer for the rest of the test.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := fireforget.Analyzer.Flags.Lookup(name)
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	if name == "rules" {
		// rules accumulates switches: undo them by switching back to the
		// defaults.
		old = "-unjoined,-no-recover,+untracked,-lost-error"
	}
	t.Cleanup(func() {
		if err := f.Value.Set(old); err != nil {
			t.Error(err)
		}
	})
}

func TestUntracked(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "untracked")
}

// TestLostError switches lost-error on: it is off by default (see doc.go).
func TestLostError(t *testing.T) {
	setFlag(t, "rules", "+lost-error")
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "lost", "mainpkg")
}

func TestFix(t *testing.T) {
	setFlag(t, "runtimefixes", "true")
	setFlag(t, "rules", "+lost-error")
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), fireforget.Analyzer, "fix")
}

func TestShadow(t *testing.T) {
	setFlag(t, "runtimefixes", "true")
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), fireforget.Analyzer, "shadow")
}

func TestGoVersion(t *testing.T) {
	setFlag(t, "runtimefixes", "true")
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), fireforget.Analyzer, "version")
}

// TestLaunchers checks the launcher facts across packages; see also
// TestVetLaunchers, which checks them under go vet.
func TestLaunchers(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "launch/up", "launch/down")
}

func TestGenerated(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "gen")
}

func TestTestFiles(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "testfilesoff")
	setFlag(t, "tests", "true")
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "testfiles")
}

func TestNoRecover(t *testing.T) {
	setFlag(t, "rules", "+no-recover")
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "norecover")
}

func TestUnjoined(t *testing.T) {
	setFlag(t, "rules", "+unjoined")
	analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, "unjoined")
}

// TestRuntimeFixes checks the runtime-fix policy: without
// -fireforget.runtimefixes, a fix is offered only where the package
// already depends on the runtime.
func TestRuntimeFixes(t *testing.T) {
	for _, tc := range []struct {
		pkg     string
		wantFix bool
	}{
		{"nofix", false},
		{"withruntime", true},
	} {
		results := analysistest.Run(t, analysistest.TestData(), fireforget.Analyzer, tc.pkg)
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
