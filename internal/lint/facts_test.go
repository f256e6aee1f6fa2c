package lint_test

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
)

type marked struct{}

func (*marked) AFact() {}

// newMarker returns an analyzer with a fact pass that marks the functions
// named Mark* while rule alpha is on, and a reporting pass that reports
// every call of a marked function. misuse makes the reporting pass export
// a fact, or the fact pass report, which are programming errors.
func newMarker(misuse string) *analysis.Analyzer {
	alpha := &lint.Rule{Name: "alpha", Default: true, Since: "v0.1.0"}
	beta := &lint.Rule{Name: "beta", Since: "v0.1.0"}
	return lint.New(lint.Spec{
		Name:  "demo",
		Doc:   testDoc,
		Rules: []*lint.Rule{alpha, beta},
		Facts: &lint.FactPass{
			Types: []analysis.Fact{new(marked)},
			Run: func(pass *lint.Pass) (any, error) {
				if !pass.Enabled(alpha) {
					return 0, nil // the fact pass has the analyzer's flags
				}
				n := 0
				for _, f := range pass.Files {
					for _, d := range f.Decls {
						if fd, ok := d.(*ast.FuncDecl); ok && strings.HasPrefix(fd.Name.Name, "Mark") {
							pass.ExportObjectFact(pass.TypesInfo.Defs[fd.Name], new(marked))
							n++
						}
					}
				}
				if misuse == "report" {
					pass.Reportf(alpha, pass.Files[0].Name, "reported by the fact pass")
				}
				return n, nil
			},
		},
		Run: func(pass *lint.Pass) (any, error) {
			if n, ok := pass.Facts().(int); !ok || n < 0 {
				panic("the fact pass's result is not handed over")
			}
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					var id *ast.Ident
					switch fun := call.Fun.(type) {
					case *ast.Ident:
						id = fun
					case *ast.SelectorExpr:
						id = fun.Sel
					}
					if fn, ok := pass.TypesInfo.Uses[id].(*types.Func); ok && pass.ImportObjectFact(fn, new(marked)) {
						pass.Reportf(alpha, call, "call of marked function %s", fn.Name())
						if misuse == "export" {
							pass.ExportObjectFact(fn, new(marked))
						}
					}
					return true
				})
			}
			return nil, nil
		},
	})
}

// TestFactPass checks that a reporting pass reads the facts its fact pass
// exported, in its own package and in dependencies.
func TestFactPass(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), newMarker(""), "facts/use")
}

// TestFactPassShape checks what drivers see: the analyzer declares no
// fact types and requires its fact pass, which declares them; a clone has
// a fact pass of its own, configured by the clone's flags; and a driver
// runs only the fact pass on a dependency.
func TestFactPassShape(t *testing.T) {
	a := newMarker("")
	fa := lint.FactsOf(a)
	if fa == nil || fa.Name != "demofacts" || len(fa.FactTypes) != 1 || len(a.FactTypes) != 0 || !slices.Contains(a.Requires, fa) {
		t.Fatalf("analyzer %s: FactTypes %v, Requires %v, fact pass %v", a.Name, a.FactTypes, a.Requires, fa)
	}
	if err := analysis.Validate([]*analysis.Analyzer{a}); err != nil {
		t.Fatal(err)
	}
	c := lint.Clone(a)
	if fc := lint.FactsOf(c); fc == fa || fc == nil || !slices.Contains(c.Requires, fc) || slices.Contains(c.Requires, fa) {
		t.Fatalf("the clone's fact pass is %p (the original's %p); its Requires %v", fc, fa, c.Requires)
	}
	if err := c.Flags.Set("rules", "-alpha,+beta"); err != nil {
		t.Fatal(err)
	}

	pkgs := loadFacts(t)
	for _, tc := range []struct {
		a     *analysis.Analyzer
		diags int
	}{{a, 2}, {c, 0}} {
		graph, err := checker.Analyze([]*analysis.Analyzer{tc.a}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for act := range graph.All() {
			if act.Err != nil {
				t.Fatal(act.Err)
			}
			if act.Analyzer == tc.a && act.Package.PkgPath != "facts/use" {
				t.Errorf("the reporting pass ran on dependency %s", act.Package.PkgPath)
			}
			n += len(act.Diagnostics)
		}
		if n != tc.diags {
			t.Errorf("rules %s: %d diagnostics, want %d", tc.a.Flags.Lookup("rules").Value, n, tc.diags)
		}
	}
	// The original's flags are untouched by the clone's.
	if got := a.Flags.Lookup("rules").Value.String(); got != "" {
		t.Errorf("the original's rules flag is %q", got)
	}
}

// TestFactPassMisuse checks that only the fact pass exports facts and only
// the reporting pass reports: either mistake is an error naming the
// package, not a fact or finding some drivers see and others do not.
func TestFactPassMisuse(t *testing.T) {
	pkgs := loadFacts(t)
	for misuse, want := range map[string]string{
		"export": "facts are exported by its fact pass",
		"report": "only the reporting pass reports",
	} {
		graph, err := checker.Analyze([]*analysis.Analyzer{newMarker(misuse)}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		var errs []string
		for act := range graph.All() {
			if act.Err != nil {
				errs = append(errs, act.Err.Error())
			}
		}
		if !slices.ContainsFunc(errs, func(e string) bool {
			return strings.Contains(e, want) && strings.Contains(e, "internal error analysing")
		}) {
			t.Errorf("%s: errors %q, want one saying %q", misuse, errs, want)
		}
	}
}

func loadFacts(t *testing.T) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "testdata/src/facts/use", Env: append(gopathEnv(t), "GO111MODULE=off")}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the fixture does not load")
	}
	return pkgs
}
