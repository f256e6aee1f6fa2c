package envflag

import (
	"fmt"
	"go/ast"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/match"
)

// librarySetenv reports the writes of the environment in f's own code,
// when f is library code that runs after start-up: not in a main package
// or a program's command tree (a path element "cmd"), not in init, not in
// a test helper (a package that imports testing, a function given a
// *testing.T), and not already reported by another rule.
func (c *checker) librarySetenv(f *function) {
	if !c.isLibrary() || c.inInit(f) || c.testHelper(f) {
		return // a program's own start-up or tests
	}
	for _, w := range f.writes {
		call := w.call()
		if call == nil || !w.own || w.key.kind != kindEnv || c.reported[call] {
			continue // not an environment write of f's own, or reported
		}
		if undoes(f, w) || c.outerWrites(f, w.key) {
			continue // part of the set it undoes, which is reported
		}
		if len(call.Args) > 0 && c.info.Types[call.Args[0]].Value == nil {
			continue // the caller names the variable: a helper doing the program's setting (coord.SetEnv, a .env loader)
		}
		name := match.Callee(c.info, call).Name()
		c.pass.Report(ruleLibrary, analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(),
			Message: fmt.Sprintf("os.%s in a library changes the environment of every program that imports it, under all its goroutines: take the value as a parameter, or set it on the child's exec.Cmd.Env", name),
		})
		c.reported[call] = true
	}
}

// outerWrites reports whether a function enclosing the literal f writes
// the environment variable k itself: f restores or continues its write
// (return func() { os.Setenv(k, old) }), which is reported there.
func (c *checker) outerWrites(f *function, k key) bool {
	if !k.keyed() {
		return false
	}
	for cur := f.cur.Parent(); cur.Node() != nil; cur = cur.Parent() {
		switch cur.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			outer := newFunction(cur)
			if slices.ContainsFunc(c.writesIn(outer), func(w *write) bool { return w.own && w.key == k }) {
				return true
			}
		}
	}
	return false
}

// isLibrary reports whether the package is a library: not a main package,
// not in a program's command tree, not test support (named so, or
// importing testing).
func (c *checker) isLibrary() bool {
	if c.library == nil {
		lib := c.computeLibrary()
		c.library = &lib
	}
	return *c.library
}

func (c *checker) computeLibrary() bool {
	pkg := c.pass.Pkg
	if pkg.Name() == "main" || strings.HasSuffix(pkg.Path(), ".test") {
		return false
	}
	if slices.Contains(strings.Split(match.PkgPath(pkg), "/"), "cmd") {
		return false // cmd/go/internal/…, example.com/x/cmd/tool/internal/…
	}
	if match.TestSupportPkg(pkg) {
		return false // testing itself, and test support by Go's naming: httptest, fstest, pqtest, testutil
	}
	// Test support: a package whose own files, not its tests, import
	// testing.
	for _, file := range c.pass.Files {
		if !match.IsTestFile(c.pass.Fset, file.Pos()) && match.ImportsTesting(file) {
			return false
		}
	}
	return true
}

// inInit reports whether f is, or is in, a package's init function.
func (c *checker) inInit(f *function) bool {
	for cur := f.cur; cur.Node() != nil; cur = cur.Parent() {
		if fd, ok := cur.Node().(*ast.FuncDecl); ok {
			return fd.Recv == nil && fd.Name.Name == "init"
		}
	}
	return false
}

// testHelper reports whether f takes a testing.TB, *testing.T, *testing.B
// or *testing.F.
func (c *checker) testHelper(f *function) bool {
	for _, field := range f.typ.Params.List {
		t := c.info.TypeOf(field.Type)
		for _, name := range []string{"TB", "T", "B", "F"} {
			if match.IsNamedOrPtr(t, "testing", name) {
				return true
			}
		}
	}
	return false
}

// undoes reports whether w resets an environment variable that f sets.
func undoes(f *function, w *write) bool {
	if w.val != valUnset && w.val != valEmpty && w.val != valSaved || !w.key.keyed() {
		return false
	}
	return slices.ContainsFunc(f.writes, func(s *write) bool {
		return s.key == w.key && s.own && (s.val == valConst || s.val == valOther)
	})
}
