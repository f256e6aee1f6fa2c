// Package lint is the small framework every resilvet analyzer is built on.
//
// An analyzer declares a Spec — its name, its doc.go text, its rules and its
// Run function — and New turns it into a plain *analysis.Analyzer. The
// analyzer it returns carries the behaviour every driver must share:
//
//   - rule switches: the -NAME.rules flag (+rule,-rule), defaults from Rules;
//   - the file policy: nothing reported in generated files, nor in _test.go
//     files unless -NAME.tests is set;
//   - the suppression directive //resilvet:ignore NAME reason;
//   - Category "<analyzer>/<rule>" and a URL to the rule's documentation;
//   - a recovered panic becomes an analyzer error naming the package.
//
// Because all of this lives inside the analyzer, the standalone driver,
// go vet -vettool, golangci-lint and analysistest behave alike.
package lint

import (
	"flag"
	"fmt"
	"reflect"

	"golang.org/x/tools/go/analysis"
)

// ModulePath is the path of the analyzer module, whose documentation
// diagnostics link to.
const ModulePath = "github.com/resilvet/resilvet"

// A Rule is one rule of an analyzer: the unit of documentation, switching,
// baselining and SARIF reporting. Its Category is "<analyzer>/<rule>".
//
// An analyzer declares each rule once, as a package-level *Rule listed in
// its Spec, and passes that value to Pass.Report and Pass.Enabled: a
// misspelt rule does not compile, and a rule of another analyzer panics.
type Rule struct {
	Name    string // e.g. "untracked"
	Default bool   // on unless switched off with -NAME.rules=-name
	// Strict: on in the strict profile (-NAME.strict) even when off by
	// default. The strict profile is a team's deliberate policy, such as
	// "every goroutine starts through the runtime", not a precision claim.
	Strict bool
	Since  string // the release that introduced it, e.g. "v0.1.0"
}

// An Option is an analyzer-specific string flag, -NAME.<option>, read with
// Pass.Option.
type Option struct {
	Name    string
	Default string
	Usage   string
}

// A Spec declares an analyzer. New turns it into an *analysis.Analyzer.
type Spec struct {
	Name string
	// Doc is the complete source of the analyzer's doc.go (//go:embed doc.go).
	// It must hold a "# Analyzer NAME" heading and a "# Rule R" heading for
	// every rule; see ParseDoc.
	Doc   string
	Rules []*Rule
	// RuntimeFixes says that some fixes import a package of the runtime
	// module; it declares -NAME.runtimefixes (see Pass.RuntimeFixes).
	RuntimeFixes bool
	Options      []*Option
	Requires     []*analysis.Analyzer
	// Facts declares the analyzer's fact pass, if it exports facts.
	Facts *FactPass
	// ResultType is the type of the value Run returns, for analyzers that
	// Require this one; nil if Run returns nil.
	ResultType reflect.Type
	Run        func(*Pass) (any, error)
}

// A FactPass declares the part of an analyzer that computes the facts it
// exports. New makes it an analyzer of its own, NAMEfacts, which declares
// the fact types and which the analyzer requires; the analyzer itself
// declares none. Every driver (go/analysis/checker, go vet's unitchecker,
// gopls, resilvet's own) runs an analyzer that declares fact types, and
// what that one requires, on every dependency of the packages it reports
// on: the dependencies then get the fact pass alone — not the reporting,
// nor an inspector unless the fact pass requires one (DESIGN "cheap
// facts"). The fact pass shares the analyzer's flags: its Pass has the
// analyzer's Config, rules and options. It reports nothing.
//
// The reporting pass imports facts through its Pass as usual (its
// ImportObjectFact and the rest read the fact pass's), and reads what the
// fact pass's Run returned with Pass.Facts: work the fact pass did is not
// done twice.
type FactPass struct {
	Types []analysis.Fact
	// Requires should be empty, or as small as it can be: what it lists
	// runs on every dependency too.
	Requires []*analysis.Analyzer
	Run      func(*Pass) (any, error)
}

// meta is what New derives from a Spec once: an analyzer and its clones
// share it.
type meta struct {
	spec  *Spec
	doc   *Doc
	rules map[*Rule]*RuleDoc // the declared rules and their documentation
}

// rule returns the documentation of r, which must be a rule of the
// analyzer: reporting another analyzer's rule is a programming error.
func (m *meta) rule(r *Rule) *RuleDoc {
	rd, ok := m.rules[r]
	if !ok {
		panic(fmt.Sprintf("analyzer %s: rule %v is not one of its rules", m.spec.Name, r))
	}
	return rd
}

// New returns the analyzer that s declares. It panics if s or its doc is
// malformed: that is a programming error that any test of the package finds.
func New(s Spec) *analysis.Analyzer {
	doc, err := ParseDoc(s.Doc, s.Name)
	if err != nil {
		panic(err)
	}
	if err := doc.check(s.Rules); err != nil {
		panic(fmt.Sprintf("analyzer %s: %v", s.Name, err))
	}
	m := &meta{spec: &s, doc: doc, rules: make(map[*Rule]*RuleDoc, len(s.Rules))}
	for _, r := range s.Rules {
		m.rules[r] = doc.Rule(r.Name)
	}
	a := &analysis.Analyzer{
		Name:       s.Name,
		Doc:        doc.Text,
		URL:        doc.URL,
		ResultType: s.ResultType,
	}
	declareFlags(a, m)
	return a
}

// Clone returns a copy of a with its own, freshly defaulted flags (and its
// own fact pass, which reads them), so that a driver (the golangci-lint
// plugin) can configure it without touching the shared package-level
// Analyzer. a must have been built by New.
func Clone(a *analysis.Analyzer) *analysis.Analyzer {
	m := metaOf(a)
	if m == nil {
		panic(fmt.Sprintf("lint.Clone: analyzer %s was not built by lint.New", a.Name))
	}
	c := *a
	c.Flags = flag.FlagSet{}
	declareFlags(&c, m)
	return &c
}

// metaOf returns what New derived for a, or nil if a was not built by New.
// It is kept in a's -rules flag, the one piece of per-analyzer state that
// every copy of an analysis.Analyzer carries along.
func metaOf(a *analysis.Analyzer) *meta {
	if st := stateOf(a); st != nil {
		return st.meta
	}
	return nil
}

// SpecOf returns the Spec a was built from, or nil if a was not built by New.
func SpecOf(a *analysis.Analyzer) *Spec {
	if m := metaOf(a); m != nil {
		return m.spec
	}
	return nil
}

// FactsOf returns a's fact pass analyzer, or nil if a has none or was not
// built by New.
func FactsOf(a *analysis.Analyzer) *analysis.Analyzer {
	if st := stateOf(a); st != nil {
		return st.facts
	}
	return nil
}

// DocOf returns the parsed documentation of a, or nil if a was not built
// by New.
func DocOf(a *analysis.Analyzer) *Doc {
	if m := metaOf(a); m != nil {
		return m.doc
	}
	return nil
}
