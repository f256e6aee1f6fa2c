package linttest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

// analyse writes files (name → text) as package p of a fresh GOPATH tree,
// runs a on it and returns the tree and p's root action.
func analyse(t *testing.T, a *analysis.Analyzer, files map[string]string) (*tree, *checker.Action) {
	t.Helper()
	dir := t.TempDir()
	pkg := filepath.Join(dir, "src", "p")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		write(t, filepath.Join(pkg, name), text)
	}
	tr := gopathTree(filepath.Join(dir, "src"))
	pkgs, err := tr.load([]string{"p"})
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(graph.Roots) != 1 || graph.Roots[0].Err != nil {
		t.Fatalf("analysis of p: %v", graph.Roots)
	}
	return tr, graph.Roots[0]
}

// TestWants checks that every way a // want comment and a diagnostic can
// disagree is an error, naming the line, and that agreement is not.
func TestWants(t *testing.T) {
	t.Parallel()
	const head = "package p\n\nfunc Bad() {}\n\nfunc f() {\n"
	for _, tc := range []struct {
		name, body string
		want       string // "" for no error
	}{
		{"matched", "\tBad() // want `call of Bad`\n", ""},
		{"matched on a later line", "\t// want +1 `call of Bad`\n\tBad()\n", ""},
		{"unexpected", "\tBad()\n", "p/p.go:6:2: unexpected diagnostic: call of Bad"},
		{"not reported", "\tprintln() // want `call of Bad`\n", "p/p.go:6: no diagnostic was reported matching `call of Bad`"},
		{"does not match", "\tBad() // want `call of Good`\n", "diagnostic \"call of Bad\" does not match pattern `call of Good`"},
		{"two reports, one want", "\tBad(); Bad() // want `call of Bad`\n", "unexpected diagnostic"},
		{"malformed", "\tBad() // want call\n", "in 'want' comment: got EOF after call, want ':'"},
	} {
		tr, act := analyse(t, newDemo(false), map[string]string{"p.go": head + tc.body + "}\n"})
		var r recorder
		checkWants(&r, tr, act)
		r.expect(t, tc.name, tc.want)
	}
}

// TestGoldens checks the comparison of fixed files with their goldens, in
// both forms: a plain file and a txtar archive of one section per fix
// message.
func TestGoldens(t *testing.T) {
	t.Parallel()
	const src = "package p\n\nfunc Bad()  {}\nfunc Good() {}\n\nfunc f() {\n\tBad() // want `call of Bad`\n}\n"
	fixed := strings.Replace(src, "\tBad()", "\tGood()", 1)
	for _, tc := range []struct {
		name, golden string
		want         string // "" for no error
	}{
		{"fixed as the golden says", fixed, ""},
		{"golden formatted differently", strings.Replace(fixed, "func Bad()  {}", "func Bad() {}", 1), ""},
		{"golden differs", src, "differs from the golden from line 7"},
		{"txtar section", "-- Call Good --\n" + fixed, ""},
		{"txtar section differs", "-- Call Good --\n" + src, `all fixes of message "Call Good"`},
		{"txtar section of no fix", "-- Call Other --\n" + fixed, "p/p.go: no edits"},
	} {
		tr, act := analyse(t, newDemo(true), map[string]string{"p.go": src, "p.go.golden": tc.golden})
		var r recorder
		checkGoldens(&r, tr, act)
		r.expect(t, tc.name, tc.want)
	}
}

// TestMerge checks that identical edits coalesce and that overlapping
// different ones conflict.
func TestMerge(t *testing.T) {
	t.Parallel()
	a, b := edit{0, 3, "x"}, edit{5, 6, "y"}
	if got, ok := merge([]edit{a, b}, []edit{b}); !ok || len(got) != 2 {
		t.Errorf("merging an identical edit: %v, %v; want the two edits", got, ok)
	}
	if got, ok := merge([]edit{b}, []edit{a}); !ok || len(got) != 2 || got[0] != a {
		t.Errorf("merging an earlier edit: %v, %v; want it first", got, ok)
	}
	if _, ok := merge([]edit{a}, []edit{{2, 4, "z"}}); ok {
		t.Error("overlapping edits merged, want a conflict")
	}
}
