package swallowcancel_test

import (
	"testing"

	"github.com/resilvet/resilvet/analyzers/swallowcancel"
	"github.com/resilvet/resilvet/internal/linttest"
)

func TestSwallowed(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, swallowcancel.Analyzer, "runtimefixes=true"), "swallowed")
}

func TestDoneIgnored(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, swallowcancel.Analyzer), "done")
}

func TestNilOnCancel(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, swallowcancel.Analyzer), "nilcancel")
}

func TestCompare(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, swallowcancel.Analyzer), "compare")
}

// TestStrict: the strict profile also reports finite loops and work that
// goes on with the same context.
func TestStrict(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, swallowcancel.Analyzer, "strict=true"), "strict")
}

// TestPolicy: the standard library's guard without the runtime, cancel.Of
// with it in the import graph; nothing reported in generated files, nor in
// test files unless -swallowcancel.tests is set.
func TestPolicy(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, swallowcancel.Analyzer), "policy", "hasruntime")
	linttest.Run(t, linttest.AllRules(t, swallowcancel.Analyzer, "tests=true"), "policytests")
}

// TestGoVersion: in a module whose go line predates Go 1.13 the errors.Is
// fix is not offered.
func TestGoVersion(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixesIn(t, "oldmod", linttest.AllRules(t, swallowcancel.Analyzer), "./old")
}

// TestDefaults: every rule is off by default, as measured.
func TestDefaults(t *testing.T) {
	t.Parallel()
	linttest.Run(t, swallowcancel.Analyzer, "defaults")
}
