package rawbreaker_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/analyzers/rawbreaker"
	"github.com/resilvet/resilvet/internal/linttest"
)

func TestHandrolled(t *testing.T) {
	t.Parallel()
	results := linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "rules=+handrolled"), "handrolled",
		"example.com/brk/a", "example.com/brk/b", "example.com/brk/c", "example.com/brk/cmd/app", "example.com/brk/cmd/one")

	// The other breakers are Related positions, at their type names, not
	// only names in the message: c's finding points at a.A, and main's at
	// all three.
	want := map[string][]string{
		"type C is":          {"a.go:12:6"},
		"this program holds": {"a.go:12:6", "b.go:12:6", "c.go:11:6"},
	}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			for prefix, positions := range want {
				if !strings.Contains(d.Message, prefix) {
					continue
				}
				var got []string
				for _, rel := range d.Related {
					p := r.Fset.Position(rel.Pos)
					got = append(got, fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column))
				}
				slices.Sort(got)
				if !slices.Equal(got, positions) {
					t.Errorf("%s: Related at %v, want %v", d.Message, got, positions)
				}
				delete(want, prefix)
			}
		}
	}
	for prefix := range want {
		t.Errorf("no finding %q…", prefix)
	}
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

func TestFixes(t *testing.T) {
	t.Parallel()
	a := linttest.With(t, rawbreaker.Analyzer, "rules=+per-call,+no-jitter", "runtimefixes=true")
	linttest.RunWithFixes(t, a, "percallfix", "nojitterfix")
}

// TestRuntimeFixPolicy checks that retry.Jitter is offered only when the
// runtime module is in the import graph, or -runtimefixes says it will be.
func TestRuntimeFixPolicy(t *testing.T) {
	t.Parallel()
	for _, flag := range []bool{false, true} {
		a := linttest.With(t, rawbreaker.Analyzer, "rules=+no-jitter")
		if flag {
			a = linttest.With(t, rawbreaker.Analyzer, "rules=+no-jitter", "runtimefixes=true")
		}
		n := 0
		for _, r := range linttest.Run(t, a, "nort") {
			for _, d := range r.Diagnostics {
				n++
				if got := len(d.SuggestedFixes) == 1; got != flag {
					t.Errorf("runtimefixes=%v: %s: fixes %v", flag, d.Message, d.SuggestedFixes)
				}
			}
		}
		if n == 0 {
			t.Fatalf("runtimefixes=%v: no diagnostics", flag)
		}
	}
}

// TestGoVersion checks that no fix imports the runtime into a module whose
// go line is below the runtime's (go 1.21), even with -runtimefixes.
func TestGoVersion(t *testing.T) {
	t.Parallel()
	a := linttest.With(t, rawbreaker.Analyzer, "rules=+no-jitter", "runtimefixes=true")
	n := 0
	for _, r := range linttest.RunIn(t, "oldgo", a, "example.com/oldgo") {
		for _, d := range r.Diagnostics {
			n++
			if len(d.SuggestedFixes) > 0 {
				t.Errorf("%s: fix offered in a go 1.20 module: %s", d.Message, d.SuggestedFixes[0].Message)
			}
		}
	}
	if n == 0 {
		t.Fatal("no diagnostics")
	}
}

// TestTestsFlag checks that -rawbreaker.tests reports in test files, which
// testdata/src/nojitter/nojitter_test.go shows are silent without it.
func TestTestsFlag(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "rules=+no-jitter", "tests=true"), "testsflag")
}

// TestStrict checks that the strict profile switches on every rule, all
// off by default: testdata/src/strict is testdata/src/defaults with
// // want comments.
func TestStrict(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, rawbreaker.Analyzer, "strict=true"), "strict")
}

// TestDefaults checks that no rule is on by default (docs/precision.md):
// testdata/src/defaults holds a hazard of each rule and no // want.
func TestDefaults(t *testing.T) {
	t.Parallel()
	for _, r := range linttest.Run(t, rawbreaker.Analyzer, "defaults") {
		if len(r.Diagnostics) > 0 {
			t.Errorf("default rules reported %d findings, first: %s", len(r.Diagnostics), r.Diagnostics[0].Message)
		}
	}
}
