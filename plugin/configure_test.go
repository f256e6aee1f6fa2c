package plugin

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilvet/resilvet/analyzers/ignore"
	"github.com/resilvet/resilvet/internal/driver/testdata/sampletool/sample"
	"github.com/resilvet/resilvet/internal/lint"
)

// The stand-in analyzer of the driver's tests has what the suite's
// analyzers may have and ignore has not: object facts across packages, a
// suggested fix, an off-by-default rule and -runtimefixes.
var standIn = []*analysis.Analyzer{ignore.New([]*analysis.Analyzer{sample.Analyzer}), sample.Analyzer}

func TestStandInThroughWrapper(t *testing.T) {
	analyzers, err := configure(standIn, Settings{Analyzers: map[string]AnalyzerSettings{"sample": {Rules: "+beta"}}})
	if err != nil {
		t.Fatal(err)
	}
	a := analyzers[1]
	if a.Name != "sample" {
		t.Fatalf("analyzers %v: want ignore, sample", analyzers)
	}
	// The fix and the fact from package marks survive the wrapped Report;
	// the golden file shows the fix applied.
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, "hazards")
	if lint.ConfigOf(sample.Analyzer).Rules["beta"] {
		t.Error("configuring the plugin switched beta on in the shared analyzer")
	}
}

// TestStrictDefault checks that strict, at the top or per analyzer, means
// -NAME.strict.
func TestStrictDefault(t *testing.T) {
	for _, test := range []struct {
		top  bool
		own  *bool
		want bool
	}{
		{false, nil, false},
		{true, nil, true},
		{true, new(false), false},
		{false, new(true), true},
	} {
		s := Settings{Strict: test.top, Analyzers: map[string]AnalyzerSettings{"sample": {Strict: test.own}}}
		analyzers, err := configure(standIn, s)
		if err != nil {
			t.Fatal(err)
		}
		if got := lint.ConfigOf(analyzers[1]).Strict; got != test.want {
			t.Errorf("strict %v, sample's %v: got %v, want %v", test.top, ptr(test.own), got, test.want)
		}
	}
}

func TestRuntimeFixesDefault(t *testing.T) {
	for _, test := range []struct {
		top  bool
		own  *bool
		want bool
	}{
		{false, nil, false},
		{true, nil, true},
		{true, new(false), false},
		{false, new(true), true},
	} {
		s := Settings{RuntimeFixes: test.top, Analyzers: map[string]AnalyzerSettings{"sample": {RuntimeFixes: test.own}}}
		analyzers, err := configure(standIn, s)
		if err != nil {
			t.Fatal(err)
		}
		if got := lint.ConfigOf(analyzers[1]).RuntimeFixes; got != test.want {
			t.Errorf("runtimefixes %v, sample's %v: got %v, want %v", test.top, ptr(test.own), got, test.want)
		}
	}
	// ignore has no runtime fixes: the top-level switch does not apply to it
	// and is not an error.
	if _, err := configure(standIn, Settings{RuntimeFixes: true}); err != nil {
		t.Errorf("top-level runtimefixes: %v", err)
	}
}

func ptr(b *bool) string {
	if b == nil {
		return "unset"
	}
	if *b {
		return "true"
	}
	return "false"
}

const optionsDoc = `// Package demo.
//
// # Analyzer demo
//
// demo: an analyzer with options
//
// # Rule alpha
//
// alpha: a rule
package demo
`

// TestOptions checks that options reach the clone's flags, matched without
// regard to case because golangci-lint lower-cases its keys, and that an
// unknown option is named with the valid ones.
func TestOptions(t *testing.T) {
	demo := lint.New(lint.Spec{
		Name:  "demo",
		Doc:   optionsDoc,
		Rules: []*lint.Rule{{Name: "alpha", Default: true, Since: "v0.1.0"}},
		Options: []*lint.Option{
			{Name: "maxDepth", Default: "2", Usage: "how deep"},
			{Name: "canonical", Default: "task.Go", Usage: "what to suggest"},
		},
		Run: func(*lint.Pass) (any, error) { return nil, nil },
	})
	analyzers, err := configure([]*analysis.Analyzer{demo}, Settings{Analyzers: map[string]AnalyzerSettings{
		"demo": {Options: map[string]string{"maxdepth": "5"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c := analyzers[0]
	if got := c.Flags.Lookup("maxDepth").Value.String(); got != "5" {
		t.Errorf("maxDepth = %q, want 5", got)
	}
	if got := c.Flags.Lookup("canonical").Value.String(); got != "task.Go" {
		t.Errorf("canonical = %q, want its default task.Go", got)
	}
	if got := demo.Flags.Lookup("maxDepth").Value.String(); got != "2" {
		t.Errorf("shared analyzer's maxDepth = %q, want 2", got)
	}
	_, err = configure([]*analysis.Analyzer{demo}, Settings{Analyzers: map[string]AnalyzerSettings{
		"demo": {Options: map[string]string{"depth": "5"}},
	}})
	want := `analyzers: demo: options: unknown option "depth" (options: maxDepth, canonical)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("unknown option: error %v, want %q", err, want)
	}
}
