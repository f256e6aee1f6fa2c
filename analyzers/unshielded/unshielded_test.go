package unshielded_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilvet/resilvet/analyzers/unshielded"
	"github.com/resilvet/resilvet/internal/lint"
)

// withFlags returns a copy of the analyzer with the flags set, leaving the
// shared unshielded.Analyzer untouched.
func withFlags(t *testing.T, flags map[string]string) *analysis.Analyzer {
	t.Helper()
	a := lint.Clone(unshielded.Analyzer)
	for name, value := range flags {
		if err := a.Flags.Set(name, value); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// all returns a copy of the analyzer with every rule on: detached-wait and
// shared-work are off by default.
func all(t *testing.T) *analysis.Analyzer {
	return withFlags(t, map[string]string{"rules": "+all"})
}

// TestDefaults: detached-call alone is on by default, as measured.
func TestDefaults(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unshielded.Analyzer, "defaults")
}

func TestWait(t *testing.T) {
	a := withFlags(t, map[string]string{"runtimefixes": "true", "rules": "+all"})
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, "wait")
}

func TestCall(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unshielded.Analyzer, "call")
}

func TestShared(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), all(t), "shared")
}

// TestGoVersion: in a module whose go line predates Go 1.21 the
// context.WithoutCancel fix is not offered. (A //go:build go1.20 line
// cannot show it: go/types raises tagged file versions to at least go1.21.)
func TestGoVersion(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "oldmod"), all(t), "./old")
}

// TestPolicy: no runtime fix without the flag or the runtime in the import
// graph; nothing reported in generated files, nor in test files unless
// -unshielded.tests is set.
func TestPolicy(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), all(t), "policy", "hasshield")
	analysistest.Run(t, analysistest.TestData(), withFlags(t, map[string]string{"tests": "true", "rules": "+all"}), "policytests")
}
