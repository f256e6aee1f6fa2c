package lint_test

import (
	"go/ast"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
)

// policy reports every call to a function named Bad under rule alpha, and
// every function declared Beta under rule beta.
func newPolicy(t *testing.T) *analysis.Analyzer {
	t.Helper()
	alpha := &lint.Rule{Name: "alpha", Default: true, Since: "v0.1.0"}
	beta := &lint.Rule{Name: "beta", Since: "v0.1.0"}
	return lint.New(lint.Spec{
		Name:  "demo",
		Doc:   testDoc,
		Rules: []*lint.Rule{alpha, beta},
		Run: func(pass *lint.Pass) (any, error) {
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.CallExpr:
						if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "Bad" {
							pass.Report(alpha, analysis.Diagnostic{
								Pos: n.Pos(), End: n.End(), Message: "call to Bad",
								SuggestedFixes: []analysis.SuggestedFix{
									{Message: "first", TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("Good")}}},
									{Message: "second, dropped"},
								},
							})
						}
						if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "Crash" {
							panic("crash requested")
						}
					case *ast.FuncDecl:
						if n.Name.Name == "Beta" {
							pass.Reportf(beta, n.Name, "function named Beta")
						}
					}
					return true
				})
			}
			return nil, nil
		},
	})
}

func TestPolicy(t *testing.T) {
	a := lint.Clone(newPolicy(t))
	uses := lint.RecordUses(a)
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, "policy")
	for _, r := range results {
		if strings.HasSuffix(r.Pass.Pkg.Path(), ".test") {
			continue // the generated test main
		}
		for _, d := range r.Diagnostics {
			if d.Category != "demo/alpha" {
				t.Errorf("Category = %q, want demo/alpha", d.Category)
			}
			if !strings.HasSuffix(d.URL, "#hdr-Rule_alpha") {
				t.Errorf("URL = %q, want the rule's heading", d.URL)
			}
			if len(d.SuggestedFixes) != 1 {
				t.Errorf("%d fixes, want only the first", len(d.SuggestedFixes))
			}
		}
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	var lines []int
	for _, u := range uses.List() {
		if filepath.Base(u.Filename) != "policy.go" {
			t.Errorf("directive used in %s, want policy.go", u.Filename)
		}
		lines = append(lines, u.Line)
	}
	if len(lines) != 2 {
		t.Errorf("used directives at lines %v, want the two that suppressed", lines)
	}
	uses.Reset()
	if n := len(uses.List()); n != 0 {
		t.Errorf("after Reset, %d directives are still recorded", n)
	}
}

// TestForeignRule checks that reporting a rule the analyzer does not
// declare is a programming error, which the analyzer's run turns into an
// error naming the package, rather than a silently lost finding.
func TestForeignRule(t *testing.T) {
	foreign := &lint.Rule{Name: "alpha", Default: true, Since: "v0.1.0"} // the same name, another value
	a := lint.New(lint.Spec{
		Name:  "demo",
		Doc:   testDoc,
		Rules: []*lint.Rule{{Name: "alpha", Default: true, Since: "v0.1.0"}, {Name: "beta", Since: "v0.1.0"}},
		Run: func(pass *lint.Pass) (any, error) {
			pass.Reportf(foreign, pass.Files[0].Name, "never reported")
			return nil, nil
		},
	})
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "testdata/src/crash", Env: append(gopathEnv(t), "GO111MODULE=off")}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := graph.Roots[0].Err; err == nil || !strings.Contains(err.Error(), "is not one of its rules") {
		t.Errorf("Err = %v, want the foreign rule named", err)
	}
}

func TestPolicyRulesAndTests(t *testing.T) {
	a := newPolicy(t)
	if err := a.Flags.Set("rules", "+beta,-alpha"); err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("tests", "true"); err != nil {
		t.Fatal(err)
	}
	// With alpha off nothing below reports Bad; beta reports Beta in
	// policy_test.go only, which -demo.tests admits.
	analysistest.Run(t, analysistest.TestData(), a, "policy/tests")
}

// TestPanicBecomesError checks that a panicking analyzer fails on its
// package with an error that names it, instead of crashing the driver.
func TestPanicBecomesError(t *testing.T) {
	a := newPolicy(t)
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "testdata/src/crash", Env: append(gopathEnv(t), "GO111MODULE=off")}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	act := graph.Roots[0]
	if act.Err == nil || !strings.Contains(act.Err.Error(), "crash requested") || !strings.Contains(act.Err.Error(), "internal error analysing") {
		t.Errorf("Err = %v, want the recovered panic", act.Err)
	}
}

func gopathEnv(t *testing.T) []string {
	t.Helper()
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "GOPATH="+abs, "GOWORK=off", "GOPROXY=off")
}
