package linttest

import (
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
)

const demoDoc = `// Package demo.
//
// # Analyzer demo
//
// demo: a stand-in analyzer
//
// # Rule bad
//
// bad: a call of Bad
package demo
`

// newDemo reports every call of Bad, offering a fix (Bad → Good) only
// when fix is set.
func newDemo(fix bool) *analysis.Analyzer {
	bad := &lint.Rule{Name: "bad", Default: true, Since: "v0.1.0"}
	return lint.New(lint.Spec{
		Name:  "demo",
		Doc:   demoDoc,
		Rules: []*lint.Rule{bad},
		Run: func(pass *lint.Pass) (any, error) {
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok {
						if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "Bad" {
							d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: "call of Bad"}
							if fix {
								d.SuggestedFixes = []analysis.SuggestedFix{{Message: "Call Good",
									TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("Good")}}}}
							}
							pass.Report(bad, d)
						}
					}
					return true
				})
			}
			return nil, nil
		},
	})
}

const source = `package p

func Bad()  {}
func Good() {}

func f() {
	Bad() // want "call of Bad"
}
`

// recorder is an errorer that keeps what it is told.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }

// expect fails the test unless r was told nothing when want is "", or
// was told something containing want.
func (r *recorder) expect(t *testing.T, name, want string) {
	t.Helper()
	got := strings.Join(r.errs, "\n")
	if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
		t.Errorf("%s: errors %q, want %q", name, got, want)
	}
}

// TestNoFixGolden checks that a .golden equal to its source asserts that
// no fix is offered, in both directions: a golden that differs from a
// source no fix edits is an error, and one that equals it is not.
func TestNoFixGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		golden string
		want   string // "" for no error
	}{
		{"golden equals source", source, ""},
		{"golden expects a fix", strings.Replace(source, "\tBad()", "\tGood()", 1), "no fix was offered"},
	} {
		dir := t.TempDir()
		pkg := filepath.Join(dir, "src", "p")
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(pkg, "p.go"), source)
		write(t, filepath.Join(pkg, "p.go.golden"), tc.golden)
		tr := gopathTree(filepath.Join(dir, "src"))
		results := run(t, tr, newDemo(false), false, func() ([]*packages.Package, error) { return tr.load([]string{"p"}) })
		var r recorder
		checkNoFix(&r, results)
		r.expect(t, tc.name, tc.want)
	}
}

// TestWithClones checks that With configures a copy, so parallel tests
// never see each other's flags.
func TestWithClones(t *testing.T) {
	t.Parallel()
	a := newDemo(false)
	c := With(t, a, "rules=-bad", "tests=true")
	if cfg := lint.ConfigOf(a); !cfg.Rules["bad"] || cfg.Tests {
		t.Errorf("With changed the analyzer it copied: %+v", cfg)
	}
	if cfg := lint.ConfigOf(c); cfg.Rules["bad"] || !cfg.Tests {
		t.Errorf("the copy's configuration = %+v, want bad off and tests on", cfg)
	}
	if cfg := lint.ConfigOf(AllRules(t, c)); !cfg.Rules["bad"] {
		t.Errorf("AllRules left a rule off: %+v", cfg)
	}
}

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
