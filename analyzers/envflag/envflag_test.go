package envflag_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/resilvet/resilvet/analyzers/envflag"
	"github.com/resilvet/resilvet/internal/linttest"
)

// TestDefaults: every rule is off by default (docs/precision.md), so the
// hazards of testdata/src/unrestored are not reported.
func TestDefaults(t *testing.T) {
	t.Parallel()
	for _, r := range linttest.Run(t, envflag.Analyzer, "defaults") {
		if len(r.Diagnostics) > 0 {
			t.Errorf("default rules reported %d findings", len(r.Diagnostics))
		}
	}
}

// TestStrict: the strict profile switches every rule on.
func TestStrict(t *testing.T) {
	t.Parallel()
	linttest.Run(t, linttest.With(t, envflag.Analyzer, "strict=true"), "strict")
}

func TestUnrestored(t *testing.T) {
	t.Parallel()
	results := linttest.RunWithFixes(t, linttest.With(t, envflag.Analyzer, "rules=+unrestored"), "unrestored")

	// The exits that miss the reset are the Related positions, and only
	// they: in boot the second step's return (not the first's, which
	// resets), in bootPanics the panic.
	want := map[string][]string{
		"env.go:14": {"env.go:20"},
		"env.go:28": {"env.go:30"},
	}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			at := r.Fset.Position(d.Pos)
			positions, ok := want[fmt.Sprintf("%s:%d", filepath.Base(at.Filename), at.Line)]
			if !ok {
				continue
			}
			var got []string
			for _, rel := range d.Related {
				p := r.Fset.Position(rel.Pos)
				got = append(got, fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line))
			}
			if !slices.Equal(got, positions) {
				t.Errorf("%s: Related at %v, want %v", at, got, positions)
			}
			delete(want, fmt.Sprintf("%s:%d", filepath.Base(at.Filename), at.Line))
		}
	}
	for at := range want {
		t.Errorf("no finding at %s", at)
	}
}

func TestChildEnv(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, envflag.Analyzer, "rules=+child-env"), "childenv", "childenvmain")
}

func TestLibrarySetenv(t *testing.T) {
	t.Parallel()
	a := linttest.With(t, envflag.Analyzer, "rules=+library-setenv")
	linttest.Run(t, a, "library", "librarytesting", "envtest", "librarymain", "example.com/tool/cmd/tool/internal/run")
}

// TestTestsFlag: with -envflag.tests, unrestored and child-env report in
// test files (testdata/src/unrestored/unrestored_test.go shows they are
// silent without it); library-setenv never does.
func TestTestsFlag(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.AllRules(t, envflag.Analyzer, "tests=true"), "testsflag")
}

// TestGoVersion: (*exec.Cmd).Environ is Go 1.19. A command with a Dir
// gets Env from it in a go 1.22 module, and no fix in a go 1.18 one (nor
// where the version is unknown, as in GOPATH mode); a command without a
// Dir gets os.Environ() in both.
func TestGoVersion(t *testing.T) {
	t.Parallel()
	a := linttest.With(t, envflag.Analyzer, "rules=+child-env")
	linttest.RunWithFixesIn(t, "oldmod", a, "./old")
	linttest.RunWithFixesIn(t, "newmod", a, "./newer")
}

// TestDotImport: os imported with a dot is still os; the child-env fix,
// which names the package, is not offered.
func TestDotImport(t *testing.T) {
	t.Parallel()
	linttest.RunWithFixes(t, linttest.With(t, envflag.Analyzer, "rules=+unrestored,+child-env"), "dotimport")
}
