package lint_test

import (
	"go/ast"
	"go/token"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilvet/resilvet/internal/lint"
)

// newVersion returns an analyzer that reports, at each function
// declaration, what Pass.FileVersion and Pass.AtLeast say of its file.
func newVersion(t *testing.T) *analysis.Analyzer {
	t.Helper()
	alpha := &lint.Rule{Name: "alpha", Default: true, Since: "v0.1.0"}
	return lint.New(lint.Spec{
		Name:  "demo",
		Doc:   testDoc,
		Rules: []*lint.Rule{alpha, {Name: "beta", Since: "v0.1.0"}},
		Run: func(pass *lint.Pass) (any, error) {
			// A position outside the package's files has no version.
			if v, ok := pass.FileVersion(token.NoPos), pass.AtLeast(token.NoPos, "go1.1"); v != "" || ok {
				t.Errorf("FileVersion(NoPos) = %q, AtLeast(NoPos, go1.1) = %v", v, ok)
			}
			for _, f := range pass.Files {
				for _, d := range f.Decls {
					fd, ok := d.(*ast.FuncDecl)
					if !ok {
						continue // only functions carry an expectation
					}
					pos := fd.Name.Pos()
					pass.Reportf(alpha, fd.Name, "version=%q go1.21=%v go1.22=%v",
						pass.FileVersion(pos), pass.AtLeast(pos, "go1.21"), pass.AtLeast(pos, "go1.22"))
				}
			}
			return nil, nil
		},
	})
}

// TestVersionGOPATH checks the version gate on a GOPATH package, where
// only //go:build lines give files a version.
func TestVersionGOPATH(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), newVersion(t), "version")
}

// TestVersionModule checks the version gate in a module: the go.mod's go
// version, raised or lowered (not below go1.21) by //go:build lines.
func TestVersionModule(t *testing.T) {
	dir := analysistest.TestData() + "/versionmod"
	analysistest.Run(t, dir, newVersion(t), "./...")
}
