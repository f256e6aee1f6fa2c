package driver

import (
	"cmp"
	"fmt"
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
	pkg       *packages.Package
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
	loadErrs   []loadError
	analysErrs []analysisError

	// Of the incremental driver (incr.go): packages analysed, and packages
	// whose results came from the cache; go list runs.
	analysed, fromCache, lists int
}

// analyze loads patterns and runs the selected analyzers on them.
func analyze(o *options, patterns []string, lc loadConfig) (*outcome, error) {
	out, err := loadOnly(o, patterns, lc)
	if err != nil {
		return nil, err
	}
	return out, analyzeLoaded(o, out)
}

// loadOnly loads patterns as the selected analyzers need them.
func loadOnly(o *options, patterns []string, lc loadConfig) (*outcome, error) {
	for _, a := range o.analyzers {
		lc.tests = lc.tests || lint.ConfigOf(a).Tests
	}
	lc.tags = o.tags
	o.overlay = lc.overlay
	o.progress.phase("loading packages")
	roots, loadErrs, err := load(patterns, lc)
	o.progress.finish()
	if err != nil {
		return nil, err
	}
	return &outcome{roots: roots, loadErrs: loadErrs}, nil
}

// analyzeLoaded runs the selected analyzers on the packages out holds and
// records their findings in it.
func analyzeLoaded(o *options, out *outcome) error {
	roots := out.roots
	if len(o.analyzers) == 0 {
		return nil
	}
	for _, u := range o.uses {
		u.Reset() // judge this round's code only
	}
	o.progress.analysing(roots, o.analyzers)
	graph, err := checker.Analyze(o.analyzers, roots, nil)
	o.progress.finish()
	if err != nil {
		return err
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
	return nil
}

func newFinding(a *analysis.Analyzer, pkg *packages.Package, d analysis.Diagnostic) *finding {
	f := &finding{
		analyzer: a,
		pkg:      pkg,
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
// packages that suppressed nothing (see judgeDirectives).
func unusedDirectives(o *options, roots []*packages.Package) []*finding {
	var sites []directiveSite
	for _, pkg := range roots {
		if pkg.IllTyped {
			continue // not analysed
		}
		for _, file := range pkg.Syntax {
			if lint.IsGenerated(file, pkg.Fset) {
				continue // nothing is reported there
			}
			for _, d := range lint.Directives(file) {
				if d.Problem == "" { // else malformed: reported by ignore/malformed
					sites = append(sites, directiveSite{pkg: pkg, fset: pkg.Fset, pos: d.Pos, end: d.End, names: d.Names, function: nav.DeclName(file, d.Pos)})
				}
			}
		}
	}
	return judgeDirectives(o, sites, o.used)
}

// A directiveSite is a well-formed suppression directive of a root package.
type directiveSite struct {
	pkg      *packages.Package
	fset     *token.FileSet
	pos, end token.Pos
	names    []string
	function string // the declaration it is in
}

// judgeDirectives reports the directives of sites that suppressed nothing;
// a file that several roots share (test variants) is judged once, with
// the first root that has it. A directive is judged against the rules
// that ran: a name "X" stands for the rules of analyzer X that were on, a
// name "X/r" for rule r if it was on (in a test file, only with -X.tests).
// A directive none of whose names stands for a rule that ran is not judged;
// one that is, and suppressed nothing, is reported with the rules it was
// judged against when some of the rules it names were off.
func judgeDirectives(o *options, sites []directiveSite, used func(lint.Used) bool) []*finding {
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
	ruleNames := make(map[string][]string) // analyzer → its rules, in declaration order
	for _, a := range o.all {
		if s := lint.SpecOf(a); s != nil {
			for _, r := range s.Rules {
				ruleNames[a.Name] = append(ruleNames[a.Name], r.Name)
			}
		}
	}
	// judged returns the rules that a directive's names stand for, split
	// into those that ran and those that did not.
	judged := func(names []string, testFile bool) (ran, off []string) {
		for _, n := range names {
			analyzer, rule, hasRule := strings.Cut(n, "/")
			rules := ruleNames[analyzer]
			if hasRule {
				rules = []string{rule}
			}
			cfg, ok := configs[analyzer]
			for _, r := range rules {
				if ok && cfg.Rules[r] && (!testFile || cfg.Tests) {
					ran = append(ran, analyzer+"/"+r)
				} else {
					off = append(off, analyzer+"/"+r)
				}
			}
		}
		return ran, off
	}
	var out []*finding
	fileOwner := make(map[string]*packages.Package)
	for _, d := range sites {
		posn := d.fset.Position(d.pos)
		if owner, ok := fileOwner[posn.Filename]; ok && owner != d.pkg {
			continue // judged already, with another root
		}
		fileOwner[posn.Filename] = d.pkg
		ran, off := judged(d.names, strings.HasSuffix(posn.Filename, "_test.go"))
		if len(ran) == 0 {
			continue // it names only rules that did not run: cannot tell
		}
		if used(lint.Used{Filename: posn.Filename, Line: posn.Line}) {
			continue // it suppressed something
		}
		msg := "directive suppresses nothing: remove it"
		if len(off) > 0 {
			msg = fmt.Sprintf("directive suppresses nothing for the rules that ran (%s): remove it, unless it is meant for %s, which did not run",
				ruleList(ran), ruleList(off))
		}
		rd := lint.DocOf(ignore).Rule("unused")
		diag := analysis.Diagnostic{
			Pos:      d.pos,
			End:      d.end,
			Category: "ignore/unused",
			URL:      rd.URL,
			Message:  msg,
		}
		out = append(out, &finding{
			analyzer: ignore,
			pkg:      d.pkg,
			pkgID:    d.pkg.ID,
			fset:     d.fset,
			diag:     diag,
			posn:     posn,
			end:      d.fset.Position(cmp.Or(d.end, d.pos)),
			function: d.function,
		})
	}
	return out
}

// ruleList writes "a/r1", "a/r2", "b/r3" as "a/r1, a/r2, b/r3" when short,
// else as "a: r1, r2; b: r3".
func ruleList(rules []string) string {
	if len(rules) <= 2 {
		return strings.Join(rules, ", ")
	}
	var b strings.Builder
	last := ""
	for i, r := range rules {
		analyzer, rule, _ := strings.Cut(r, "/")
		switch {
		case analyzer == last:
			b.WriteString(", ")
		case i > 0:
			b.WriteString("; ")
			fallthrough
		default:
			b.WriteString(analyzer + ": ")
			last = analyzer
		}
		b.WriteString(rule)
	}
	return b.String()
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
