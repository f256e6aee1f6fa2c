package lint

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/match"
)

// Pass is the analysis.Pass of an analyzer built by New, with reporting that
// applies the rule switches, the file policy and suppression directives.
type Pass struct {
	*analysis.Pass
	Config Config

	meta  *meta
	owner *analysis.Analyzer // the analyzer whose flags configure this pass
	uses  *Uses              // nil unless a driver records used directives
	files map[*token.File]*fileInfo
	// runtimeReachable memoises RuntimeFixes' walk of the import graph.
	runtimeReachable *bool
	// facts is, in the reporting pass of an analyzer with a fact pass,
	// what that pass returned; inFacts says this is the fact pass.
	facts   *factsResult
	inFacts bool
}

// factsResult is the result of a fact pass: its analysis.Pass, through
// which the reporting pass imports facts, and what its Run returned.
type factsResult struct {
	pass  *analysis.Pass
	value any
}

type fileInfo struct {
	syntax     *ast.File
	generated  bool
	directives *directiveIndex // built on first use
}

func run(st *state, ap *analysis.Pass) (result any, err error) {
	defer recoverInto(ap, &err)
	p := newPass(st, ap, ap.Analyzer)
	if st.facts != nil {
		p.facts = ap.ResultOf[st.facts].(*factsResult)
	}
	return st.meta.spec.Run(p)
}

// runFacts runs the fact pass of a (see FactPass) on ap.
func runFacts(st *state, a *analysis.Analyzer, ap *analysis.Pass) (result any, err error) {
	defer recoverInto(ap, &err)
	p := newPass(st, ap, a)
	p.inFacts = true
	v, err := st.meta.spec.Facts.Run(p)
	if err != nil {
		return nil, err
	}
	return &factsResult{pass: ap, value: v}, nil
}

// recoverInto turns a panic into an analyzer error naming the package: a
// bug in one analyzer must not take the whole run down, and the drivers
// report the error against the package and go on.
func recoverInto(ap *analysis.Pass, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("internal error analysing %s (please report it): %v\n%s", ap.Pkg.Path(), r, debug.Stack())
	}
}

// newPass returns the Pass for ap, configured by owner's flags: the
// analyzer's own, in its fact pass too.
func newPass(st *state, ap *analysis.Pass, owner *analysis.Analyzer) *Pass {
	p := &Pass{
		Pass:   ap,
		Config: ConfigOf(owner),
		meta:   st.meta,
		owner:  owner,
		uses:   st.uses,
		files:  make(map[*token.File]*fileInfo, len(ap.Files)),
	}
	for _, f := range ap.Files {
		p.files[ap.Fset.File(f.FileStart)] = &fileInfo{syntax: f, generated: isGenerated(f, ap.Fset)}
	}
	return p
}

// Facts returns what the analyzer's fact pass returned for this package
// (see FactPass); nil in the fact pass itself.
func (p *Pass) Facts() any {
	if p.facts == nil {
		return nil
	}
	return p.facts.value
}

// factsPass returns the pass whose facts p reads and writes: the fact
// pass's, in the reporting pass of an analyzer that has one.
func (p *Pass) factsPass() *analysis.Pass {
	if p.facts != nil {
		return p.facts.pass
	}
	return p.Pass
}

// ImportObjectFact is analysis.Pass.ImportObjectFact, reading the facts of
// the analyzer's fact pass.
func (p *Pass) ImportObjectFact(obj types.Object, f analysis.Fact) bool {
	return p.factsPass().ImportObjectFact(obj, f)
}

// ImportPackageFact is analysis.Pass.ImportPackageFact, reading the facts
// of the analyzer's fact pass.
func (p *Pass) ImportPackageFact(pkg *types.Package, f analysis.Fact) bool {
	return p.factsPass().ImportPackageFact(pkg, f)
}

// AllObjectFacts is analysis.Pass.AllObjectFacts of the analyzer's fact pass.
func (p *Pass) AllObjectFacts() []analysis.ObjectFact { return p.factsPass().AllObjectFacts() }

// AllPackageFacts is analysis.Pass.AllPackageFacts of the analyzer's fact pass.
func (p *Pass) AllPackageFacts() []analysis.PackageFact { return p.factsPass().AllPackageFacts() }

// ExportObjectFact is analysis.Pass.ExportObjectFact. Only the fact pass
// exports facts: the drivers do not run the reporting pass on
// dependencies, so a fact it exported would be seen by some dependents
// and not others.
func (p *Pass) ExportObjectFact(obj types.Object, f analysis.Fact) {
	p.mustExport()
	p.Pass.ExportObjectFact(obj, f)
}

// ExportPackageFact is analysis.Pass.ExportPackageFact; see ExportObjectFact.
func (p *Pass) ExportPackageFact(f analysis.Fact) {
	p.mustExport()
	p.Pass.ExportPackageFact(f)
}

func (p *Pass) mustExport() {
	if !p.inFacts {
		panic(fmt.Sprintf("analyzer %s: facts are exported by its fact pass (lint.FactPass), not by its reporting pass", p.meta.spec.Name))
	}
}

// Enabled reports whether rule r is switched on. r must be one of the
// analyzer's rules.
func (p *Pass) Enabled(r *Rule) bool {
	p.meta.rule(r) // panics for another analyzer's rule
	return p.Config.Rules[r.Name]
}

// Strict reports whether the strict profile is on (-NAME.strict): rules
// may then report shapes that the default profile leaves alone because a
// maintainer of an arbitrary project would not call them hazards.
func (p *Pass) Strict() bool { return p.Config.Strict }

// AnyEnabled reports whether any of the rules is switched on.
func (p *Pass) AnyEnabled(rules ...*Rule) bool {
	for _, r := range rules {
		if p.Enabled(r) {
			return true
		}
	}
	return false
}

// Reportable reports whether a diagnostic at pos could be shown: its file is
// not generated, and not a test file unless -NAME.tests is set. Analyzers use
// it to skip work; Report applies it anyway.
func (p *Pass) Reportable(pos token.Pos) bool {
	fi := p.files[p.Fset.File(pos)]
	if fi == nil {
		return false // not a file of this package (e.g. a position in export data)
	}
	if fi.generated {
		return false
	}
	if !p.Config.Tests && strings.HasSuffix(p.Fset.Position(pos).Filename, "_test.go") {
		return false
	}
	return true
}

// Report reports d under rule r, unless r is off, the file policy excludes
// its position, or a //resilvet:ignore directive suppresses it. It sets
// d.Category and d.URL and keeps only the first suggested fix. r must be one
// of the analyzer's rules.
func (p *Pass) Report(r *Rule, d analysis.Diagnostic) {
	if p.inFacts {
		panic(fmt.Sprintf("analyzer %s: its fact pass reported %q: only the reporting pass reports", p.meta.spec.Name, d.Message))
	}
	rd := p.meta.rule(r)
	if !p.Config.Rules[r.Name] || !p.Reportable(d.Pos) {
		return
	}
	if p.suppressed(d.Pos, r.Name) {
		return
	}
	d.Category = p.meta.spec.Name + "/" + r.Name
	d.URL = rd.URL
	if len(d.SuggestedFixes) > 1 {
		// go vet -fix applies only the first fix and golangci-lint applies
		// all of them; one fix per diagnostic means both do the same thing.
		d.SuggestedFixes = d.SuggestedFixes[:1]
	}
	p.Pass.Report(d)
}

// Reportf is Report with a formatted message and no fix.
func (p *Pass) Reportf(r *Rule, rng analysis.Range, format string, args ...any) {
	p.Report(r, analysis.Diagnostic{Pos: rng.Pos(), End: rng.End(), Message: fmt.Sprintf(format, args...)})
}

func (p *Pass) suppressed(pos token.Pos, rule string) bool {
	fi := p.files[p.Fset.File(pos)]
	if fi.directives == nil {
		fi.directives = newDirectiveIndex(p.Fset, fi.syntax)
	}
	posn := p.Fset.Position(pos)
	d := fi.directives.find(posn.Line, p.meta.spec.Name, rule)
	if d == nil {
		return false
	}
	if p.uses != nil {
		dp := p.Fset.Position(d.Pos)
		p.uses.add(Used{Filename: dp.Filename, Line: dp.Line})
	}
	return true
}

// RuntimeFixes reports whether fixes that import a package of the runtime
// module may be offered: -NAME.runtimefixes is set, or the runtime module is
// already in the package's import graph, so the fixed code builds without a
// go.mod change that an analyzer cannot make.
func (p *Pass) RuntimeFixes() bool {
	if p.Config.RuntimeFixes {
		return true
	}
	if p.runtimeReachable == nil {
		found := ImportsPrefix(p.Pkg, match.RuntimePath+"/")
		p.runtimeReachable = &found
	}
	return *p.runtimeReachable
}

// Option returns the value of the analyzer-specific option o, -NAME.<o>. o
// must be one of the analyzer's options.
func (p *Pass) Option(o *Option) string {
	f := p.owner.Flags.Lookup(o.Name)
	if f == nil || !slices.Contains(p.meta.spec.Options, o) {
		panic(fmt.Sprintf("analyzer %s: option %s is not one of its options", p.meta.spec.Name, o.Name))
	}
	return f.Value.String()
}

// FileVersion returns the Go version of the file holding pos ("go1.22"), or
// "" if unknown. Fixes that need newer APIs or per-iteration loop variables
// check it with AtLeast.
func (p *Pass) FileVersion(pos token.Pos) string {
	fi := p.files[p.Fset.File(pos)]
	if fi == nil || p.TypesInfo.FileVersions == nil {
		return ""
	}
	return p.TypesInfo.FileVersions[fi.syntax]
}

// AtLeast reports whether the file holding pos is compiled with Go version
// want or later ("go1.21"). An unknown version counts as too old: a fix that
// needs a newer API is then not offered.
func (p *Pass) AtLeast(pos token.Pos, want string) bool {
	v := p.FileVersion(pos)
	return v != "" && version.Compare(v, want) >= 0
}

// File returns the syntax of the file holding pos, or nil.
func (p *Pass) File(pos token.Pos) *ast.File {
	if fi := p.files[p.Fset.File(pos)]; fi != nil {
		return fi.syntax
	}
	return nil
}

// ImportsPrefix reports whether pkg imports, directly or not, a package
// whose path starts with prefix.
func ImportsPrefix(pkg *types.Package, prefix string) bool {
	seen := make(map[*types.Package]bool)
	var walk func(*types.Package) bool
	walk = func(p *types.Package) bool {
		for _, imp := range p.Imports() {
			if seen[imp] {
				continue // visited
			}
			seen[imp] = true
			if strings.HasPrefix(imp.Path(), prefix) || walk(imp) {
				return true
			}
		}
		return false
	}
	return walk(pkg)
}

var (
	generatedHeader = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)
	cgoHeader       = "// Code generated by cmd/cgo; DO NOT EDIT."
)

// isGenerated reports whether f is generated code that a user does not edit.
// The files cgo rewrites carry cgo's own header, yet they are the user's
// code (their //line directives map them back to it) unless they carried a
// generated header of their own; cgo's other output (_cgo_gotypes.go) maps
// to no user file and stays generated.
func isGenerated(f *ast.File, fset *token.FileSet) bool {
	cgoRewritten := fset.PositionFor(f.Package, true).Filename != fset.File(f.Package).Name()
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break // the header ends at the package clause
		}
		for _, c := range g.List {
			if generatedHeader.MatchString(c.Text) && (!cgoRewritten || c.Text != cgoHeader) {
				return true
			}
		}
	}
	return false
}

// IsGenerated reports whether f is generated code, in which no analyzer
// reports (see the file policy).
func IsGenerated(f *ast.File, fset *token.FileSet) bool { return isGenerated(f, fset) }
