package driver

import (
	"go/ast"
	"testing"
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
	got := apply([]byte("0123456789"), []edit{{8, 9, "E"}, {2, 4, "AB"}, {5, 5, "+"}})
	if string(got) != "01AB4+567E9" {
		t.Errorf("apply = %q", got)
	}
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
	got, err := finish("p.go", before, after)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("finish:\n%s\nwant:\n%s", got, want)
	}
	if _, err := finish("p.go", before, []byte("package p\nfunc {")); err == nil {
		t.Errorf("finish accepted code that does not parse")
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
