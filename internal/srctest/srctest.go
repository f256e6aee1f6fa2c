// Package srctest parses and type-checks small Go sources for the unit tests
// of resilvet's internal helpers, which need real go/types information but
// not the cost of go/packages or analysistest.
package srctest

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ast/inspector"
)

// A Package is one type-checked package.
type Package struct {
	Fset      *token.FileSet
	Files     []*ast.File
	Srcs      []string // the source of each file, by index
	Pkg       *types.Package
	Info      *types.Info
	Inspector *inspector.Inspector
}

// Check parses srcs as the files f0.go, f1.go, … of the package at path and
// type-checks them. Imports resolve first to stubs (import path → source,
// type-checked on demand with the same rules; an import of P also resolves
// to the stub "vendor/P", as in the standard library), then to the standard
// library's export data. Any error fails the test.
func Check(t testing.TB, stubs map[string]string, path string, srcs ...string) *Package {
	t.Helper()
	p, err := check(token.NewFileSet(), stubs, path, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// CheckErr is Check returning the first parse or type error instead of
// failing the test, for tests that expect code not to compile.
func CheckErr(stubs map[string]string, path string, srcs ...string) (*Package, error) {
	return check(token.NewFileSet(), stubs, path, srcs...)
}

func check(fset *token.FileSet, stubs map[string]string, path string, srcs ...string) (*Package, error) {
	imp := &stubImporter{fset: fset, stubs: stubs, done: make(map[string]*types.Package), std: importer.ForCompiler(fset, "gc", nil)}
	return imp.check(path, srcs)
}

type stubImporter struct {
	fset  *token.FileSet
	stubs map[string]string
	done  map[string]*types.Package
	std   types.Importer
}

func (imp *stubImporter) Import(path string) (*types.Package, error) {
	if p := imp.done[path]; p != nil {
		return p, nil
	}
	src, ok := imp.stubs[path]
	if !ok {
		// As in the standard library, an import of P may resolve to a
		// vendored copy, the package "vendor/P".
		if src, ok = imp.stubs["vendor/"+path]; !ok {
			return imp.std.Import(path)
		}
		if p := imp.done["vendor/"+path]; p != nil {
			return p, nil
		}
		path = "vendor/" + path
	}
	p, err := imp.check(path, []string{src})
	if err != nil {
		return nil, fmt.Errorf("stub %s: %w", path, err)
	}
	imp.done[path] = p.Pkg
	return p.Pkg, nil
}

func (imp *stubImporter) check(path string, srcs []string) (*Package, error) {
	p := &Package{Fset: imp.fset, Srcs: srcs}
	for i, src := range srcs {
		f, err := parser.ParseFile(imp.fset, fmt.Sprintf("f%d.go", i), src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		p.Files = append(p.Files, f)
	}
	p.Info = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		Instances:    make(map[*ast.Ident]types.Instance),
		FileVersions: make(map[*ast.File]string),
	}
	conf := types.Config{Importer: imp, GoVersion: "go1.26"}
	pkg, err := conf.Check(path, imp.fset, p.Files, p.Info)
	if err != nil {
		return nil, err
	}
	p.Pkg = pkg
	p.Inspector = inspector.New(p.Files)
	return p, nil
}
