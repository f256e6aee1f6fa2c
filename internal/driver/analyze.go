package driver

import (
	"cmp"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/nav"
)

// A finding is one diagnostic, reported once across a package's test
// variants.
type finding struct {
	analyzer  *analysis.Analyzer
	pkgID     string
	fset      *token.FileSet
	diag      analysis.Diagnostic
	posn, end token.Position
	function  string // enclosing function ("T.M", "F", or "" at package level)
}

// category is "analyzer/rule".
func (f *finding) category() string { return f.diag.Category }

// outcome is the result of one round of loading and analysis.
type outcome struct {
	roots      []*packages.Package
	findings   []*finding // sorted by position
	loadErrs   []string   // file:line: message
	analysErrs []analysisError
}

// analyze loads patterns and runs the selected analyzers on them.
func analyze(o *options, patterns []string, overlay map[string][]byte) (*outcome, error) {
	tests := false
	for _, a := range o.analyzers {
		tests = tests || lint.ConfigOf(a).Tests
	}
	roots, loadErrs, err := load(patterns, tests, o.tags, overlay)
	if err != nil {
		return nil, err
	}
	out := &outcome{roots: roots, loadErrs: loadErrs}
	if len(o.analyzers) == 0 {
		return out, nil
	}
	for _, u := range o.uses {
		u.Reset() // judge this round's code only
	}
	graph, err := checker.Analyze(o.analyzers, roots, nil)
	if err != nil {
		return nil, err
	}

	// Roots in package ID order, so that "p" comes before "p [p.test]" and
	// a finding in a file both share is attributed to p.
	acts := slices.Clone(graph.Roots)
	slices.SortStableFunc(acts, func(a, b *checker.Action) int {
		return cmp.Or(cmp.Compare(a.Package.ID, b.Package.ID), cmp.Compare(a.Analyzer.Name, b.Analyzer.Name))
	})
	type key struct {
		analyzer, category, file, message string
		start, end                        int
	}
	seen := make(map[key]bool)
	broken := brokenPackages(roots)
	for _, act := range acts {
		if act.Err != nil {
			if !broken[act.Package] { // else the load error says it all
				out.analysErrs = append(out.analysErrs, analysisError{act.Package.ID, act.Analyzer.Name, act.Err.Error()})
			}
			continue
		}
		for _, d := range act.Diagnostics {
			f := newFinding(act.Analyzer, act.Package, d)
			k := key{act.Analyzer.Name, d.Category, f.posn.Filename, d.Message, f.posn.Offset, f.end.Offset}
			if seen[k] {
				continue // the same file in a test variant
			}
			seen[k] = true
			out.findings = append(out.findings, f)
		}
	}
	out.findings = append(out.findings, unusedDirectives(o, roots)...)
	slices.SortStableFunc(out.findings, compareFindings)
	return out, nil
}

func newFinding(a *analysis.Analyzer, pkg *packages.Package, d analysis.Diagnostic) *finding {
	f := &finding{
		analyzer: a,
		pkgID:    pkg.ID,
		fset:     pkg.Fset,
		diag:     d,
		posn:     pkg.Fset.Position(d.Pos),
		end:      pkg.Fset.Position(cmp.Or(d.End, d.Pos)),
	}
	for _, file := range pkg.Syntax {
		if file.FileStart <= d.Pos && d.Pos <= file.FileEnd {
			f.function = nav.DeclName(file, d.Pos)
			break
		}
	}
	return f
}

func compareFindings(a, b *finding) int {
	return cmp.Or(
		cmp.Compare(a.posn.Filename, b.posn.Filename),
		cmp.Compare(a.posn.Offset, b.posn.Offset),
		cmp.Compare(a.diag.Category, b.diag.Category),
		cmp.Compare(a.diag.Message, b.diag.Message),
	)
}

// unusedDirectives reports the //resilvet:ignore directives of the root
// packages that suppressed nothing, judging only those whose analyzers ran
// with every rule they name switched on.
func unusedDirectives(o *options, roots []*packages.Package) []*finding {
	var ignore *analysis.Analyzer
	configs := make(map[string]lint.Config)
	for _, a := range o.analyzers {
		configs[a.Name] = lint.ConfigOf(a)
		if a.Name == "ignore" {
			ignore = a
		}
	}
	if ignore == nil || !configs["ignore"].Rules["unused"] {
		return nil // not asked for
	}
	judged := func(name string, testFile bool) bool {
		analyzer, rule, hasRule := strings.Cut(name, "/")
		cfg, ran := configs[analyzer]
		switch {
		case !ran, testFile && !cfg.Tests:
			return false
		case hasRule:
			return cfg.Rules[rule]
		default:
			return cfg.AllRules()
		}
	}
	var out []*finding
	seenFile := make(map[string]bool)
	for _, pkg := range roots {
		if pkg.IllTyped {
			continue // not analysed
		}
		for _, file := range pkg.Syntax {
			name := pkg.Fset.File(file.FileStart).Name()
			if seenFile[name] || lint.IsGenerated(file, pkg.Fset) {
				continue // judged already, or nothing is reported there
			}
			seenFile[name] = true
			testFile := strings.HasSuffix(name, "_test.go")
			for _, d := range lint.Directives(file) {
				if d.Problem != "" || !allFunc(d.Names, func(n string) bool { return judged(n, testFile) }) {
					continue // malformed (reported by ignore/malformed), or cannot tell
				}
				posn := pkg.Fset.Position(d.Pos)
				if o.used(lint.Used{Filename: posn.Filename, Line: posn.Line}) {
					continue // it suppressed something
				}
				rd := lint.DocOf(ignore).Rule("unused")
				out = append(out, newFinding(ignore, pkg, analysis.Diagnostic{
					Pos:      d.Pos,
					End:      d.End,
					Category: "ignore/unused",
					URL:      rd.URL,
					Message:  "directive suppresses nothing: remove it",
				}))
			}
		}
	}
	return out
}

func allFunc[T any](s []T, f func(T) bool) bool {
	for _, x := range s {
		if !f(x) {
			return false
		}
	}
	return true
}

// brokenPackages returns the packages that have errors or import, directly
// or not, a package that has: their analyses are skipped ("failed
// prerequisites"), and the load errors already say why.
func brokenPackages(roots []*packages.Package) map[*packages.Package]bool {
	broken := make(map[*packages.Package]bool)
	packages.Visit(roots, nil, func(p *packages.Package) { // postorder: imports first
		bad := len(p.Errors) > 0
		for _, imp := range p.Imports {
			bad = bad || broken[imp]
		}
		if bad {
			broken[p] = true
		}
	})
	return broken
}
