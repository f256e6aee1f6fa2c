package driver

import (
	"bytes"
	"go/ast"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/driver/testdata/sampletool/sample"
)

func TestMerge(t *testing.T) {
	taken := []edit{{10, 20, "x"}, {30, 30, "ins"}}
	for _, tc := range []struct {
		name  string
		edits []edit
		ok    bool
		n     int // edits after merging
	}{
		{"identical edits coalesce", []edit{{10, 20, "x"}}, true, 2},
		{"identical insertion coalesces", []edit{{30, 30, "ins"}}, true, 2},
		{"disjoint", []edit{{0, 5, "y"}, {40, 41, ""}}, true, 4},
		{"adjacent before", []edit{{5, 10, "y"}}, true, 3},
		{"adjacent after", []edit{{20, 25, "y"}}, true, 3},
		{"overlap", []edit{{15, 25, "y"}}, false, 0},
		{"same range, other text", []edit{{10, 20, "z"}}, false, 0},
		{"insertion inside a replacement", []edit{{15, 15, "y"}}, false, 0},
		{"two insertions at one point", []edit{{30, 30, "other"}}, false, 0},
		{"replacement around an insertion", []edit{{25, 35, "y"}}, false, 0},
		{"one good, one bad: all or nothing", []edit{{0, 5, "y"}, {12, 13, "z"}}, false, 0},
	} {
		got, ok := merge(taken, tc.edits)
		if ok != tc.ok || len(got) != tc.n {
			t.Errorf("%s: merge = %v, %v; want ok=%v with %d edits", tc.name, got, ok, tc.ok, tc.n)
		}
	}
}

func TestApply(t *testing.T) {
	got, lines := apply([]byte("0123456789"), []edit{{8, 9, "E"}, {2, 4, "AB"}, {5, 5, "+"}})
	if string(got) != "01AB4+567E9" {
		t.Errorf("apply = %q", got)
	}
	if want := []editLines{{0, 0}, {0, 0}, {0, 0}}; !slices.Equal(lines, want) {
		t.Errorf("lines = %v, want %v", lines, want)
	}
	got, lines = apply([]byte("a\nb\nc\nd\n"), []edit{{6, 7, ""}, {2, 3, "B1\nB2"}})
	if string(got) != "a\nB1\nB2\nc\n\n" {
		t.Errorf("apply = %q", got)
	}
	if want := []editLines{{4, 4}, {1, 2}}; !slices.Equal(lines, want) {
		t.Errorf("lines = %v, want %v", lines, want)
	}
}

func touchedLines(lines []editLines) map[int]bool {
	m := make(map[int]bool)
	for _, l := range lines {
		for i := l.first; i <= l.last; i++ {
			m[i] = true
		}
	}
	return m
}

func TestFinishRemovesImportsTheFixesUnused(t *testing.T) {
	before := []byte(`package p

import (
	"fmt"
	"os"
	"time"
)

func f() {
	time.Sleep(1)
	fmt.Println(os.Args)
}
`)
	after := []byte(`package p

import (
	"fmt"
	"os"
	"time"
	"context"
	"example.com/runtime/shield"
)

func f() {
	shield.Sleep(context.TODO(), 1)
	fmt.Println(os.Args)
}
`)
	want := `package p

import (
	"context"
	"example.com/runtime/shield"
	"fmt"
	"os"
)

func f() {
	shield.Sleep(context.TODO(), 1)
	fmt.Println(os.Args)
}
`
	got, err := finish("p.go", before, after, allLines(after))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("finish:\n%s\nwant:\n%s", got, want)
	}
	if _, err := finish("p.go", before, []byte("package p\nfunc {"), nil); err == nil {
		t.Errorf("finish accepted code that does not parse")
	}
}

func allLines(src []byte) map[int]bool {
	m := make(map[int]bool)
	for i := range bytes.Count(src, []byte("\n")) + 1 {
		m[i] = true
	}
	return m
}

// TestFinishImportsByUse checks that an import is judged used by what its
// name denotes: a local named time is no use of package time.
func TestFinishImportsByUse(t *testing.T) {
	before := []byte(`package p

import (
	"fmt"
	"time"
)

type clock struct{}

func (clock) Now() int { return 0 }

func f() {
	time.Sleep(1)
	fmt.Println()
}

func g() int {
	time := clock{}
	return time.Now()
}
`)
	after := bytes.Replace(before, []byte("time.Sleep(1)"), []byte("pause(1)"), 1)
	got, err := finish("p.go", before, after, map[int]bool{12: true})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got, []byte(`"time"`)) {
		t.Errorf("the import of time, now unused, was kept:\n%s", got)
	}
	// A package used before the fix through a name a local shadows
	// elsewhere is still used.
	before2 := bytes.Replace(before, []byte("time.Sleep(1)"), []byte("time.Sleep(1)\n\ttime.Now()"), 1)
	after2 := bytes.Replace(before2, []byte("time.Sleep(1)"), []byte("pause(1)"), 1)
	got, err = finish("p.go", before2, after2, map[int]bool{12: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte(`"time"`)) {
		t.Errorf("the import of time, still used, was removed:\n%s", got)
	}
}

// TestFinishKeepsUntouchedFormatting checks that lines no edit touched keep
// the user's formatting while the edited ones are gofmt-ed.
func TestFinishKeepsUntouchedFormatting(t *testing.T) {
	before := []byte("package p\n\nfunc f() {\n\tx := 1   +  2\n\t_ = x\n}\n\nfunc g() {\n\tHazard()\n}\n\nfunc Hazard() {}\nfunc Safe() {}\n")
	after, lines := apply(before, []edit{{bytes.Index(before, []byte("Hazard()\n")), bytes.Index(before, []byte("Hazard()\n")) + len("Hazard()"), "Safe( )"}})
	got, err := finish("p.go", before, after, touchedLines(lines))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(string(before), "\tHazard()\n", "\tSafe()\n", 1)
	if string(got) != want {
		t.Errorf("finish:\n%s\nwant:\n%s", got, want)
	}
}

// TestSelectFixesOneAnalyzerPerDecl checks that fixes of two analyzers in
// one top-level declaration are not taken in one round, while fixes of one
// analyzer there, and of another analyzer elsewhere, are.
func TestSelectFixesOneAnalyzerPerDecl(t *testing.T) {
	a := &analysis.Analyzer{Name: "a"}
	b := &analysis.Analyzer{Name: "b"}
	cand := func(an *analysis.Analyzer, msg string, decl, start int) *candidate {
		return &candidate{
			f:     &finding{analyzer: an, diag: analysis.Diagnostic{Message: msg, SuggestedFixes: []analysis.SuggestedFix{{Message: msg}}}},
			edits: map[string][]edit{"f.go": {{start, start + 1, msg}}},
			decls: []declKey{{"f.go", decl}},
		}
	}
	cands := []*candidate{
		cand(a, "a1", 100, 110),
		cand(b, "b1", 100, 120), // waits: a's fix is in decl 100
		cand(a, "a2", 100, 130),
		cand(b, "b2", 200, 210),
	}
	var got []string
	for _, c := range selectFixes(cands, nil) {
		got = append(got, c.f.diag.Message)
	}
	if want := []string{"a1", "a2", "b2"}; !slices.Equal(got, want) {
		t.Errorf("selectFixes chose %v, want %v", got, want)
	}
	if got := selectFixes(cands, map[string]bool{cands[0].key(): true}); len(got) != 2 || got[0] != cands[1] {
		t.Errorf("with a1 dropped, selectFixes chose %d fixes, first %v", len(got), got[0].f.diag.Message)
	}
}

func TestImportName(t *testing.T) {
	for path, want := range map[string]string{
		"fmt":                           "fmt",
		"example.com/m/v2":              "m",
		"github.com/resilvet/x/runtime": "runtime",
		"gopkg.in/yaml.v3":              "yaml.v3", // never matches a qualifier: never removed
	} {
		if got := importName(&ast.ImportSpec{}, path); got != want {
			t.Errorf("importName(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestParseVetCall checks that the go command's calls are recognised in
// every form it uses (the argv recorded by a wrapper vettool, see
// TestVetFlagForms) and that standalone calls are not.
func TestParseVetCall(t *testing.T) {
	suite := []*analysis.Analyzer{sample.Analyzer}
	for _, tc := range []struct {
		args    string
		vet, id bool
	}{
		{"-V=full", true, true},
		{"-flags", true, false},
		{"-json /tmp/go-build1/b001/vet.cfg", true, false},
		{"-tags special -json /tmp/go-build1/b006/vet.cfg", true, false},
		{"-sample.rules +all -json /tmp/go-build1/b006/vet.cfg", true, false},
		{"-sample.rules=+all -sample.tests -json $WORK/b006/vet.cfg", true, false},
		{"-sample=false -fix -diff /tmp/b1/vet.cfg", true, false},
		{"-c 2 -json /tmp/b1/vet.cfg", true, false},
		{"./...", false, false},
		{"-tags special ./...", false, false},
		{"-sample.rules +all ./a ./b", false, false},
		{"-sarif /tmp/b1/vet.cfg", false, false},  // not a flag of the protocol
		{"a.cfg b.cfg", false, false},             // one config only
		{"-nosuch /tmp/b1/vet.cfg", false, false}, // the standalone driver reports the flag
	} {
		got := parseVetCall(suite, strings.Fields(tc.args))
		if got.vet != tc.vet || got.version != tc.id {
			t.Errorf("parseVetCall(%s) = %+v, want vet=%v version=%v", tc.args, got, tc.vet, tc.id)
		}
	}
}
