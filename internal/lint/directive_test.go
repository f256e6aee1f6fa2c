package lint_test

import (
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/lint"
)

func TestDirectives(t *testing.T) {
	const src = `package p

//resilvet:ignore fireforget the poller lives as long as the process
//resilvet:ignore fireforget,unshielded/detached-wait two names
//resilvet:ignore
//resilvet:ignore fireforget
// resilvet:ignore fireforget spaced
//resilvet:ignore  ,,, only commas
//resilvet:ignored fireforget not ours
// an ordinary comment that mentions //resilvet:ignore mid-line
/* block comment */
var x int //resilvet:ignore halfinit	tab separated reason
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Names   []string
		Reason  string
		Problem string
	}
	var gots []got
	for _, d := range lint.Directives(f) {
		gots = append(gots, got{d.Names, d.Reason, d.Problem})
	}
	want := []got{
		{[]string{"fireforget"}, "the poller lives as long as the process", ""},
		{[]string{"fireforget", "unshielded/detached-wait"}, "two names", ""},
		{nil, "", "directive names no analyzer: write //resilvet:ignore <analyzer>[,<analyzer>] <reason>"},
		{[]string{"fireforget"}, "", "directive gives no reason: say why the finding is acceptable after the analyzer names"},
		{nil, "", "a directive is written //resilvet:ignore with no space after //"},
		{nil, "only commas", "directive names no analyzer: write //resilvet:ignore <analyzer>[,<analyzer>] <reason>"},
		{[]string{"halfinit"}, "tab separated reason", ""},
	}
	if !reflect.DeepEqual(gots, want) {
		t.Errorf("Directives:\ngot  %+v\nwant %+v", gots, want)
	}
}

func TestDirectiveMatches(t *testing.T) {
	d := lint.Directive{Names: []string{"fireforget", "unshielded/detached-wait"}}
	for _, tc := range []struct {
		analyzer, rule string
		want           bool
	}{
		{"fireforget", "untracked", true},
		{"unshielded", "detached-wait", true},
		{"unshielded", "detached-call", false},
		{"halfinit", "racy-lazy", false},
	} {
		if got := d.Matches(tc.analyzer, tc.rule); got != tc.want {
			t.Errorf("Matches(%s, %s) = %v, want %v", tc.analyzer, tc.rule, got, tc.want)
		}
	}
}

// FuzzDirective checks the directive parser on any comment: it never
// panics, and a directive it calls well-formed names analyzers (no empty
// name, no blanks, no commas in a name) and gives a reason.
func FuzzDirective(f *testing.F) {
	for _, seed := range []string{
		"//resilvet:ignore fireforget reason",
		"//resilvet:ignore  ,,, reason",
		"//resilvet:ignore a,,b/c reason words",
		"// resilvet:ignore x y",
		"//resilvet:ignore",
		"//resilvet:ignore\tfireforget\treason",
		"//resilvet:ignorex y z",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		src := "package p\n\n" + text + "\n"
		file, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
		if err != nil {
			return // not a comment once parsed
		}
		for _, d := range lint.Directives(file) {
			if d.Problem != "" {
				continue // reported as malformed: suppresses nothing
			}
			if len(d.Names) == 0 || d.Reason == "" {
				t.Fatalf("%q: well-formed with names %q and reason %q", text, d.Names, d.Reason)
			}
			for _, n := range d.Names {
				if n == "" || strings.ContainsAny(n, ", \t\n") {
					t.Fatalf("%q: bad name %q", text, n)
				}
			}
		}
	})
}
