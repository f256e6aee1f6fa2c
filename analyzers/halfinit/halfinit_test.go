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
