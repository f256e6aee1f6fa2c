package lint_test

import (
	"go/parser"
	"go/token"
	"reflect"
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
