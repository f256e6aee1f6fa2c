package rawbreaker

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/match"
)

// breakers is the package fact: the hand-rolled breaker types that a
// package and everything it imports define, test files excluded. Each
// package merges its direct imports' facts into its own, because go vet
// shows a package only the facts of its direct imports. Packages that see
// none export no fact.
type breakers struct {
	Types []breakerType // sorted by package path, then name
}

// A breakerType is one hand-rolled breaker type.
type breakerType struct {
	Pkg, Name string
	// Sees is how many other hand-rolled breaker types its package sees,
	// and so how many its finding names.
	Sees int
}

func (*breakers) AFact() {}

func (b *breakers) String() string {
	var names []string
	for _, t := range b.Types {
		names = append(names, t.qualified())
	}
	return "breakers(" + strings.Join(names, ",") + ")"
}

func (t breakerType) qualified() string { return t.Pkg + "." + t.Name }

func (b *breakers) add(t breakerType) {
	i, found := slices.BinarySearchFunc(b.Types, t, compareTypes)
	if !found {
		b.Types = slices.Insert(b.Types, i, t)
	}
}

func compareTypes(a, b breakerType) int {
	return cmp.Or(cmp.Compare(a.Pkg, b.Pkg), cmp.Compare(a.Name, b.Name))
}

// has reports whether the named type t is one of b's types.
func (b *breakers) has(t *types.Named) bool {
	if b == nil || t.Obj().Pkg() == nil {
		return false
	}
	_, found := slices.BinarySearchFunc(b.Types, breakerType{Pkg: t.Obj().Pkg().Path(), Name: t.Obj().Name()}, compareTypes)
	return found
}

// A localBreaker is a hand-rolled breaker type of this package.
type localBreaker struct {
	obj   *types.TypeName
	state string // the state field, for the message
}

// breakerFact computes, exports and returns the package's fact, and the
// package's own hand-rolled breaker types. It is cheap on purpose: it runs
// on every dependency, with no inspector.
func (c *checker) breakerFact() (*breakers, []localBreaker) {
	pass := c.pass
	known := new(breakers)
	for _, imp := range pass.Pkg.Imports() {
		var f breakers
		if pass.ImportPackageFact(imp, &f) {
			for _, t := range f.Types {
				known.add(t)
			}
		}
	}
	self := match.PkgPath(pass.Pkg)
	var local []localBreaker
	if !isLibraryPkg(self) && !c.isCanonical(self) {
		local = c.findBreakers()
	}
	imported := len(known.Types)
	for _, l := range local {
		known.add(breakerType{Pkg: pass.Pkg.Path(), Name: l.obj.Name(), Sees: imported + len(local) - 1})
	}
	if len(known.Types) > 0 && pass.Pkg.Name() != "main" {
		pass.ExportPackageFact(known)
	}
	return known, local
}

func (c *checker) reportHandrolled(l localBreaker, known *breakers) {
	decl := c.typeSpec(l.obj)
	if decl == nil {
		return // cannot happen: findBreakers found its declaration
	}
	var others []string
	var related []analysis.RelatedInformation
	for _, t := range known.Types {
		if t.Pkg == c.pass.Pkg.Path() && t.Name == l.obj.Name() {
			continue // this one
		}
		others = append(others, c.display(t))
		if obj := c.lookupType(t); obj != nil {
			related = append(related, analysis.RelatedInformation{Pos: obj.Pos(), End: obj.Pos() + token.Pos(len(obj.Name())), Message: "another hand-rolled breaker: " + c.display(t)})
		}
	}
	msg := fmt.Sprintf("type %s is a hand-rolled circuit breaker (state in %s, failures counted against a threshold, a time to reset): its callers share no state with any other breaker of the program; %s",
		l.obj.Name(), l.state, c.useCanonical())
	if len(others) > 0 {
		msg += fmt.Sprintf(" (this program has %d more: %s)", len(others), strings.Join(others, ", "))
	}
	c.pass.Report(ruleHandrolled, analysis.Diagnostic{Pos: decl.Name.Pos(), End: decl.Name.End(), Message: msg, Related: related})
}

// reportProgram reports, at func main, a program whose hand-rolled
// breakers are spread over packages that do not all see one another, so
// that some finding of the type does not name them all.
func (c *checker) reportProgram(known *breakers) {
	n := len(known.Types)
	partial := false
	for _, t := range known.Types {
		partial = partial || t.Sees < n-1
	}
	if n < 2 || !partial {
		return // one breaker, or every finding names all the others
	}
	anchor := mainFunc(c.pass.Files)
	if anchor == nil {
		return // no func main to report at (a main package's test)
	}
	var names []string
	var related []analysis.RelatedInformation
	for _, t := range known.Types {
		names = append(names, c.display(t))
		if obj := c.lookupType(t); obj != nil {
			related = append(related, analysis.RelatedInformation{Pos: obj.Pos(), End: obj.Pos() + token.Pos(len(obj.Name())), Message: "hand-rolled breaker " + c.display(t)})
		}
	}
	c.pass.Report(ruleHandrolled, analysis.Diagnostic{
		Pos: anchor.Pos(), End: anchor.End(), Related: related,
		Message: fmt.Sprintf("this program holds %d hand-rolled circuit breakers, none sharing state with another: %s; %s",
			n, strings.Join(names, ", "), c.useCanonical()),
	})
}

// useCanonical is the advice that ends handrolled's and foreign's
// messages.
func (c *checker) useCanonical() string {
	if len(c.canonical) == 1 && c.canonical[0] == breakerPath {
		return "keep one breaker per dependency with breaker.Get(name, settings)"
	}
	return "use the canonical " + strings.Join(c.canonical, " or ")
}

// display names t for a message: by package name and type name when its
// package is this one or one it imports, else by path.
func (c *checker) display(t breakerType) string {
	if t.Pkg == c.pass.Pkg.Path() {
		return t.Name
	}
	return t.qualified()
}

// lookupType returns the declaration of t, if the type checker has it: in
// vet mode, a type of a package the current one does not import directly
// may be missing.
func (c *checker) lookupType(t breakerType) types.Object {
	if t.Pkg == c.pass.Pkg.Path() {
		return c.pass.Pkg.Scope().Lookup(t.Name)
	}
	seen := map[*types.Package]bool{}
	queue := slices.Clone(c.pass.Pkg.Imports())
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue // visited
		}
		seen[p] = true
		if p.Path() == t.Pkg {
			if obj := p.Scope().Lookup(t.Name); obj != nil && obj.Pos().IsValid() {
				return obj
			}
			return nil
		}
		queue = append(queue, p.Imports()...)
	}
	return nil
}

// typeSpec returns the declaration of the package-level type obj.
func (c *checker) typeSpec(obj *types.TypeName) *ast.TypeSpec {
	for _, f := range c.pass.Files {
		if obj.Pos() < f.FileStart || obj.Pos() >= f.FileEnd {
			continue // another file
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue // not a type declaration
			}
			for _, s := range gd.Specs {
				if ts := s.(*ast.TypeSpec); ts.Name.Pos() == obj.Pos() {
					return ts
				}
			}
		}
	}
	return nil
}

func mainFunc(files []*ast.File) *ast.Ident {
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
				return fd.Name
			}
		}
	}
	return nil
}
