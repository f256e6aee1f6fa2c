package linttest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"
)

// A tree is a set of packages loaded once, from source with all their
// dependencies, as analysistest loads them.
type tree struct {
	srcs   []string                       // the GOPATH src directories, for sanitize
	roots  map[string][]*packages.Package // loaded root packages by PkgPath
	config *packages.Config
}

// mode is what analysistest loads: everything, from source.
const mode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
	packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo |
	packages.NeedDeps | packages.NeedModule

// shared is the GOPATH tree of this test binary: its package's
// testdata/src, then the shared stubs. Every package under testdata/src is
// loaded once, the first time a test asks for any of them, and every test
// analyses its packages within that one load. Loading (parsing and
// type-checking the standard library from source) is most of the cost of
// an analyzer test, and packages are never changed by analysis, so one load
// serves every test; each test still runs its analyzer, with its own flags,
// in a fresh checker.Analyze, facts and all.
var shared = sync.OnceValues(func() (*tree, error) {
	own, err := filepath.Abs(filepath.Join(analysistest.TestData(), "src"))
	if err != nil {
		return nil, err
	}
	stubs, err := stubsDir()
	if err != nil {
		return nil, err
	}
	paths, err := packageDirs(own, stubs)
	if err != nil {
		return nil, err
	}
	t := gopathTree(own, stubs)
	if len(paths) == 0 {
		return t, nil // no testdata/src: RunIn only
	}
	// Not t.load: one package that cannot be loaded fails only the tests
	// that name it.
	pkgs, err := packages.Load(t.config, paths...)
	if err != nil {
		return nil, err
	}
	t.add(pkgs)
	return t, nil
})

// gopathTree returns an empty tree for a GOPATH of srcs, each a GOPATH
// entry's src directory.
func gopathTree(srcs ...string) *tree {
	var gopath []string
	for _, src := range srcs {
		gopath = append(gopath, filepath.Dir(src))
	}
	return &tree{srcs: srcs, roots: make(map[string][]*packages.Package), config: &packages.Config{
		Mode:  mode,
		Dir:   gopath[0],
		Tests: true,
		Env:   append(os.Environ(), "GOPATH="+strings.Join(gopath, string(os.PathListSeparator)), "GO111MODULE=off", "GOWORK=off"),
	}}
}

// stubsDir returns this package's testdata/src, the shared stubs. Tests
// run from source, so the directory is where this file was compiled from.
func stubsDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", fmt.Errorf("linttest: cannot locate its source directory (built with -trimpath?)")
	}
	dir := filepath.Join(filepath.Dir(file), "testdata", "src")
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("linttest: shared stubs: %w", err)
	}
	return dir, nil
}

// packageDirs returns the import path of every directory under own that
// holds Go files, and fails if own holds a copy of one of the shared
// stubs, which would shadow it.
func packageDirs(own, stubs string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(own, func(path string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && path == own {
			return fs.SkipAll // no testdata/src
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(own, path) // cannot fail: path is under own
		if d.IsDir() {
			if name := d.Name(); path != own && (name == "testdata" || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".")) {
				return fs.SkipDir // the go command ignores it
			}
			return nil
		}
		if _, err := os.Stat(filepath.Join(stubs, rel)); err == nil {
			return fmt.Errorf("testdata/src/%s is a shared stub of internal/linttest: remove the analyzer's copy", filepath.ToSlash(rel))
		}
		if strings.HasSuffix(path, ".go") {
			paths = append(paths, filepath.ToSlash(filepath.Dir(rel)))
		}
		return nil
	})
	slices.Sort(paths)
	return slices.Compact(paths), err
}

// add records pkgs, the roots of a load, by import path.
func (t *tree) add(pkgs []*packages.Package) {
	for _, p := range pkgs {
		if !slices.Contains(t.roots[p.PkgPath], p) {
			t.roots[p.PkgPath] = append(t.roots[p.PkgPath], p)
		}
	}
}

// packages returns the packages of the tree that patterns name, with
// their test variants, as a load of patterns with Tests set would: the
// package, its test-augmented variant, its external test package and the
// test main. A pattern that the shared load does not hold (a shared stub,
// a "..." pattern) is loaded on its own.
func (t *tree) packages(patterns []string) ([]*packages.Package, error) {
	var pkgs []*packages.Package
	for _, pat := range patterns {
		found := slices.Concat(t.roots[pat], t.roots[pat+"_test"], t.roots[pat+".test"])
		if len(found) == 0 {
			// Load them all apart: packages of two loads must not meet
			// in one analysis.
			return t.load(patterns)
		}
		pkgs = append(pkgs, found...)
	}
	if err := loaded(pkgs); err != nil {
		return nil, err
	}
	slices.SortFunc(pkgs, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	return slices.CompactFunc(pkgs, func(a, b *packages.Package) bool { return a == b }), nil
}

// load loads patterns on their own, failing as analysistest does when no
// package matches or a named package could not be loaded at all.
func (t *tree) load(patterns []string) ([]*packages.Package, error) {
	pkgs, err := packages.Load(t.config, patterns...)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no packages matched %s", patterns)
	}
	return pkgs, loaded(pkgs)
}

// loaded fails, as analysistest does, if one of pkgs could not be loaded
// at all.
func loaded(pkgs []*packages.Package) error {
	for _, p := range pkgs {
		if p.Name == "" {
			return fmt.Errorf("failed to load %q: Errors=%v", p.PkgPath, p.Errors)
		}
	}
	return nil
}

// module loads patterns in dir, a module of its own, as analysistest does
// for a directory with a go.mod.
func module(dir string, patterns []string) (*tree, []*packages.Package, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, err
	}
	gowork := filepath.Join(dir, "go.work")
	if _, err := os.Stat(gowork); err != nil {
		gowork = "off"
	}
	t := &tree{srcs: []string{dir}, config: &packages.Config{
		Mode:  mode,
		Dir:   dir,
		Tests: true,
		Env:   append(os.Environ(), "GO111MODULE=on", "GOPROXY=off", "GOWORK="+gowork),
	}}
	pkgs, err := t.load(patterns)
	return t, pkgs, err
}

// sanitize returns filename relative to the tree's src directory that
// holds it, the form analysistest reports positions in.
func (t *tree) sanitize(filename string) string {
	for _, src := range t.srcs {
		if rel, ok := strings.CutPrefix(filename, src+string(os.PathSeparator)); ok {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(filename)
}
