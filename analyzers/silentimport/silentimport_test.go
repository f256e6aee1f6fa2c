package silentimport_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilvet/resilvet/analyzers/silentimport"
)

func TestDiscarded(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), silentimport.Analyzer, "discarded", "discardedmain")
}

// TestNoRuntime checks that guard.Must is offered only when the runtime
// module is in the import graph, or when -runtimefixes says it will be.
func TestNoRuntime(t *testing.T) {
	for _, flag := range []bool{false, true} {
		if flag {
			setFlag(t, "runtimefixes", "true")
		}
		results := analysistest.Run(t, analysistest.TestData(), silentimport.Analyzer, "nofixmain")
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
	setFlag(t, "runtimefixes", "true")
	dir := filepath.Join(analysistest.TestData(), "oldgo")
	results := analysistest.Run(t, dir, silentimport.Analyzer, "example.com/oldgo")
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
	setFlag(t, "tests", "true")
	analysistest.Run(t, analysistest.TestData(), silentimport.Analyzer, "testsflag")
}

func TestSilentFallback(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), silentimport.Analyzer, "fallback")
}

func TestUnregistered(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), silentimport.Analyzer,
		"github.com/lib/pq", "github.com/go-sql-driver/mysql",
		"example.com/store", "example.com/service", "example.com/reports", "example.com/app",
		"example.com/dynreg", "example.com/dynapp", "example.com/mysqlapp",
		"example.com/thumb", "example.com/imgapp", "example.com/imglocal", "example.com/imgok")
}

func TestLibraryBlank(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), silentimport.Analyzer, "blank", "blankmain", "blankself", "tools")
}

// TestToolsTag checks that a file built only with the tools tag may import
// for effect: it is seen only when that tag is set.
func TestToolsTag(t *testing.T) {
	t.Setenv("GOFLAGS", "-tags=tools")
	analysistest.Run(t, analysistest.TestData(), silentimport.Analyzer, "blanktools")
}

// setFlag sets one of the analyzer's flags for the test.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := silentimport.Analyzer.Flags.Lookup(name)
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Value.Set(old); err != nil {
			t.Error(err)
		}
	})
}
