package unshielded_test

import (
	"testing"

	"github.com/resilvet/resilvet/analyzers/unshielded"
	"github.com/resilvet/resilvet/internal/linttest"
)

// TestDefaults: shared-work alone is on by default, as measured.
func TestDefaults(t *testing.T) {
	t.Parallel()
	linttest.Run(t, unshielded.Analyzer, "defaults")
}

// TestStrict: the strict profile switches detached-call on.
func TestStrict(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, unshielded.Analyzer, "strict=true"), "strictcall")
}

func TestWait(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, unshielded.Analyzer, "runtimefixes=true"), "wait")
}

func TestCall(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, unshielded.Analyzer, "rules=+detached-call"), "call")
}

func TestShared(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, unshielded.Analyzer), "shared")
}

// TestGoVersion: in a module whose go line predates Go 1.21 the
// context.WithoutCancel fix is not offered. (A //go:build go1.20 line
// cannot show it: go/types raises tagged file versions to at least go1.21.)
func TestGoVersion(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixesIn(t, "oldmod", linttest.AllRules(t, unshielded.Analyzer), "./old")
}

// TestPolicy: no runtime fix without the flag or the runtime in the import
// graph; nothing reported in generated files, nor in test files unless
// -unshielded.tests is set.
func TestPolicy(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, unshielded.Analyzer), "policy", "hasshield")
	linttest.Run(t, linttest.AllRules(t, unshielded.Analyzer, "tests=true"), "policytests")
}
