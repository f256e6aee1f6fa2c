// Package resilvet is a suite of analyzers that find the async and
// resilience hazards that take Go services down: goroutines nothing waits
// for (fireforget), waits and calls that ignore cancellation and shared
// work one caller's cancellation poisons (unshielded), error handling that
// swallows cancellation (swallowcancel), singletons that can be seen
// half-made or fail for ever (halfinit), fallible loads whose failure is
// silenced (silentimport), circuit breakers that share no state and
// retries that back off in lockstep (rawbreaker), and process-wide flags
// and environment variables that are not restored on every path (envflag).
//
// Suite holds the analyzers; Rules describes their rules. The command is
// cmd/resilvet; the golangci-lint plugin is package plugin. Adding an
// analyzer is one package and one entry in Suite (docs/adding-an-analyzer.md).
package resilvet

import (
	"cmp"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/analyzers/envflag"
	"github.com/resilvet/resilvet/analyzers/fireforget"
	"github.com/resilvet/resilvet/analyzers/halfinit"
	"github.com/resilvet/resilvet/analyzers/ignore"
	"github.com/resilvet/resilvet/analyzers/rawbreaker"
	"github.com/resilvet/resilvet/analyzers/silentimport"
	"github.com/resilvet/resilvet/analyzers/swallowcancel"
	"github.com/resilvet/resilvet/analyzers/unshielded"
	"github.com/resilvet/resilvet/internal/lint"
)

// Suite is every resilvet analyzer, in alphabetical order. Each is a plain
// *analysis.Analyzer; its rules are switched with its -NAME.rules flag.
var Suite = suite(envflag.Analyzer, fireforget.Analyzer, halfinit.Analyzer, rawbreaker.Analyzer, silentimport.Analyzer, swallowcancel.Analyzer, unshielded.Analyzer)

// suite returns the analyzers plus the ignore analyzer, which checks
// //resilvet:ignore directives against them.
func suite(analyzers ...*analysis.Analyzer) []*analysis.Analyzer {
	all := append(slices.Clone(analyzers), ignore.New(analyzers))
	slices.SortFunc(all, func(a, b *analysis.Analyzer) int { return cmp.Compare(a.Name, b.Name) })
	return all
}

// A Rule is one row of the metadata table.
type Rule struct {
	Analyzer string
	Name     string // Category is Analyzer + "/" + Name
	Default  bool   // on by default
	Since    string // release that introduced it
	Summary  string
	URL      string // its documentation
}

// Rules is the metadata table: every rule of every analyzer in Suite.
var Rules = rulesOf(Suite)

func rulesOf(suite []*analysis.Analyzer) []Rule {
	var rules []Rule
	for _, a := range suite {
		doc := lint.DocOf(a)
		for _, r := range lint.SpecOf(a).Rules {
			rd := doc.Rule(r.Name)
			rules = append(rules, Rule{
				Analyzer: a.Name,
				Name:     r.Name,
				Default:  r.Default,
				Since:    r.Since,
				Summary:  rd.Summary,
				URL:      rd.URL,
			})
		}
	}
	return rules
}
