package ignore

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

//go:embed doc.go
var doc string

// New returns the ignore analyzer, which checks directives against the
// analyzers given: the suite it runs with.
func New(analyzers []*analysis.Analyzer) *analysis.Analyzer {
	known := make(map[string][]string) // analyzer → its rules
	for _, a := range analyzers {
		var rules []string
		if s := lint.SpecOf(a); s != nil {
			for _, r := range s.Rules {
				rules = append(rules, r.Name)
			}
		}
		known[a.Name] = rules
	}
	known["ignore"] = []string{ruleMalformed.Name, ruleUnused.Name}
	return lint.New(lint.Spec{
		Name:  "ignore",
		Doc:   doc,
		Rules: []*lint.Rule{ruleMalformed, ruleUnused},
		Run:   func(pass *lint.Pass) (any, error) { return nil, run(pass, known) },
	})
}

// The rules. unused is reported by the standalone driver, which alone sees
// every package and test variant.
var (
	ruleMalformed = &lint.Rule{Name: "malformed", Default: true, Since: "v0.1.0"}
	ruleUnused    = &lint.Rule{Name: "unused", Default: true, Since: "v0.1.0"}
)

func run(pass *lint.Pass, known map[string][]string) error {
	for _, f := range pass.Files {
		for _, d := range lint.Directives(f) {
			problem := d.Problem
			if problem == "" {
				problem = checkNames(d.Names, known)
			}
			if problem != "" {
				pass.Report(ruleMalformed, analysis.Diagnostic{Pos: d.Pos, End: d.End, Message: problem})
			}
		}
	}
	return nil
}

// checkNames returns why a name in names is unknown, or "".
func checkNames(names []string, known map[string][]string) string {
	for _, n := range names {
		analyzer, rule, hasRule := strings.Cut(n, "/")
		rules, ok := known[analyzer]
		if !ok {
			return fmt.Sprintf("directive names unknown analyzer %q (known: %s)", analyzer, strings.Join(sortedKeys(known), ", "))
		}
		if hasRule && !slices.Contains(rules, rule) {
			return fmt.Sprintf("directive names unknown rule %q of %s (rules: %s)", rule, analyzer, strings.Join(rules, ", "))
		}
	}
	return ""
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
