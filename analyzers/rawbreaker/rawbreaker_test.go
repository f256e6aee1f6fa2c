package rawbreaker_test

import (
	"testing"

	"github.com/resilvet/resilvet/analyzers/rawbreaker"
	"github.com/resilvet/resilvet/internal/linttest"
)

func TestHandrolled(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "rules=+handrolled"), "handrolled",
		"example.com/brk/a", "example.com/brk/b", "example.com/brk/c", "example.com/brk/cmd/app", "example.com/brk/cmd/one")
}

func TestForeign(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "rules=+foreign"), "foreign")
	linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "rules=+foreign", "canonical=github.com/sony/gobreaker"), "foreigncanon")
}

func TestPerCall(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "rules=+per-call"), "percall")
}

func TestNoJitter(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "rules=+no-jitter"), "nojitter")
}
