package silentimport_test

import (
	"strings"
	"testing"

	"github.com/resilvet/resilvet/analyzers/silentimport"
	"github.com/resilvet/resilvet/internal/linttest"
)

func TestDiscarded(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, silentimport.Analyzer, "discarded", "discardedmain")
}

// TestLineDirective: a //line directive past the end of the file neither
// fails the analysis nor moves the fix's edits off their physical lines.
func TestLineDirective(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, silentimport.Analyzer, "linedirective")
}

// TestNoRuntime checks that guard.Must is offered only when the runtime
// module is in the import graph, or when -runtimefixes says it will be.
func TestNoRuntime(t *testing.T) {
	t.Parallel()
	for _, flag := range []bool{false, true} {
		a := silentimport.Analyzer
		if flag {
			a = linttest.With(t, a, "runtimefixes=true")
		}
		results := linttest.Run(t, a, "nofixmain")
		n := 0
		for _, r := range results {
			for _, d := range r.Diagnostics {
				n++
				hasMust := len(d.SuggestedFixes) == 1 && strings.Contains(d.SuggestedFixes[0].Message, "guard.Must")
				if hasMust != flag {
					t.Errorf("runtimefixes=%v: %s: fixes %v", flag, d.Message, d.SuggestedFixes)
				}
			}
		}
		if n == 0 {
			t.Fatalf("runtimefixes=%v: no diagnostics", flag)
		}
	}
}

// TestGoVersion checks that guard.Must, a generic function, is not
// offered in a module whose Go version predates generics, even with
// -runtimefixes.
func TestGoVersion(t *testing.T) {
	t.Parallel()
	results := linttest.RunIn(t, "oldgo", linttest.With(t, silentimport.Analyzer, "runtimefixes=true"), "example.com/oldgo")
	n := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			n++
			if len(d.SuggestedFixes) > 0 {
				t.Errorf("%s: fix offered in a go 1.17 module: %s", d.Message, d.SuggestedFixes[0].Message)
			}
		}
	}
	if n == 0 {
		t.Fatal("no diagnostics")
	}
}

// TestTestsFlag checks that -silentimport.tests reports in test files,
// which testdata/src/discarded/discarded_test.go shows are silent without it.
func TestTestsFlag(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, silentimport.Analyzer, "tests=true"), "testsflag")
}

func TestSilentFallback(t *testing.T) {
	t.Parallel()
	linttest.Run(t, silentimport.Analyzer, "fallback")
}

func TestUnregistered(t *testing.T) {
	t.Parallel()
	linttest.Run(t, silentimport.Analyzer,
		"github.com/lib/pq", "github.com/go-sql-driver/mysql",
		"example.com/store", "example.com/service", "example.com/reports", "example.com/app",
		"example.com/dynreg", "example.com/dynapp", "example.com/mysqlapp",
		"example.com/thumb", "example.com/imgapp", "example.com/imglocal", "example.com/imgok")
}

func TestLibraryBlank(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, silentimport.Analyzer, "rules=+library-blank"), "blank", "blankmain", "blankself", "tools", "blankonly")
}

// TestLibraryBlankOff: library-blank is off by default, as measured
// (docs/precision.md, "Programs and libraries").
func TestLibraryBlankOff(t *testing.T) {
	t.Parallel()
	linttest.Run(t, silentimport.Analyzer, "blankoff")
}

// TestToolsTag checks that a file built only with the tools tag may import
// for effect: it is seen only when that tag is set. (Not parallel: it sets
// GOFLAGS.)
func TestToolsTag(t *testing.T) {
	t.Setenv("GOFLAGS", "-tags=tools")
	linttest.Run(t, linttest.With(t, silentimport.Analyzer, "rules=+library-blank"), "blanktools")
}
