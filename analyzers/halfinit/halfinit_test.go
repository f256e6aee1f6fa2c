package halfinit_test

import (
	"testing"

	"github.com/resilvet/resilvet/analyzers/halfinit"
	"github.com/resilvet/resilvet/internal/linttest"
)

func TestRacyLazy(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, halfinit.Analyzer), "lazy")
}

// TestRacyLazyFallible: a getter that can fail becomes a singleton.Lazy,
// offered with -halfinit.runtimefixes.
func TestRacyLazyFallible(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, halfinit.Analyzer, "runtimefixes=true"), "lazyerr")
}

func TestOnceError(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, halfinit.Analyzer, "runtimefixes=true"), "once")
}

func TestEarlyPublish(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, halfinit.Analyzer), "publish")
}

// TestFacts: a function of another package that can fail for a transient
// reason, or never returns nil, is known by its facts.
func TestFacts(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, halfinit.Analyzer, "runtimefixes=true"), "example.com/facts/a", "example.com/facts/b")
}

// TestMain: code that main runs before its first go statement is
// quiet; after it, it is not.
func TestMainPackage(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, halfinit.Analyzer), "mainpkg")
}

// TestGoVersion: in a module whose go line predates Go 1.21 neither
// sync.OnceValue nor singleton.Lazy is offered. (A //go:build go1.20 line
// cannot show it: go/types raises tagged file versions to at least go1.21.)
func TestGoVersion(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixesIn(t, "oldmod", linttest.AllRules(t, halfinit.Analyzer, "runtimefixes=true"), "./old")
}

// TestPolicy: nothing reported in generated files, nor in test files
// unless -halfinit.tests is set; no runtime fix without the flag or the
// runtime in the import graph.
func TestPolicy(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, halfinit.Analyzer), "policy")
	linttest.Run(t, linttest.AllRules(t, halfinit.Analyzer, "tests=true"), "policytests")
}

// TestOnceErrorStrict: the strict profile also reports a Once that is a
// field of some value, whose lifetime the analyzer cannot see.
func TestOnceErrorStrict(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.AllRules(t, halfinit.Analyzer, "strict=true"), "oncestrict")
}

// TestDefaults: every rule is off by default, as measured, and on in the
// strict profile.
func TestDefaults(t *testing.T) {
	t.Parallel()
	linttest.Run(t, halfinit.Analyzer, "defaults")
	linttest.Run(t, linttest.With(t, halfinit.Analyzer, "strict=true"), "defaultsstrict")
}
