package lint_test

import (
	"flag"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

const testDoc = `// Package demo is a test analyzer.
//
// # Analyzer demo
//
// demo: report demonstrations
//
// Shared text.
//
// # Rule alpha
//
// alpha: the first rule
//
//	// WRONG
//	Alpha() // alpha called
//
// # Rule beta
//
// beta: the second rule, off by default
package demo
`

func newDemo(t *testing.T) *analysis.Analyzer {
	t.Helper()
	return lint.New(lint.Spec{
		Name: "demo",
		Doc:  testDoc,
		Rules: []*lint.Rule{
			{Name: "alpha", Default: true, Since: "v0.1.0"},
			{Name: "beta", Since: "v0.1.0"},
		},
		Run: func(*lint.Pass) (any, error) { return nil, nil },
	})
}

func TestDoc(t *testing.T) {
	a := newDemo(t)
	if !strings.HasPrefix(a.Doc, "report demonstrations\n") {
		t.Errorf("Analyzer.Doc = %q, want it to open with the summary", a.Doc)
	}
	doc := lint.DocOf(a)
	if doc.Summary != "report demonstrations" {
		t.Errorf("Summary = %q", doc.Summary)
	}
	alpha := doc.Rule("alpha")
	if alpha == nil || alpha.Summary != "the first rule" || !strings.Contains(alpha.Text, "Alpha() // alpha called") {
		t.Fatalf("rule alpha = %+v", alpha)
	}
	if want := "https://pkg.go.dev/github.com/resilvet/resilvet/analyzers/demo#hdr-Rule_alpha"; alpha.URL != want {
		t.Errorf("URL = %q, want %q", alpha.URL, want)
	}
	if strings.Contains(alpha.Text, "beta") {
		t.Errorf("rule alpha's text runs into rule beta: %q", alpha.Text)
	}
}

func TestDocErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"no heading", "// Package demo.\npackage demo\n", `no "# Analyzer demo" heading`},
		{"no comment", "package demo\n", "no package comment"},
		{"no summary", "// Package demo.\n//\n// # Analyzer demo\n//\n// Text without the name.\npackage demo\n", `"demo: summary"`},
		{"stray heading", "// Package demo.\n//\n// # Analyzer demo\n//\n// demo: x\n//\n// # Other\n//\n// y\npackage demo\n", `unexpected heading "Other"`},
		{"rule without summary", "// Package demo.\n//\n// # Analyzer demo\n//\n// demo: x\n//\n// # Rule alpha\n//\n// text\npackage demo\n", "rule alpha"},
	} {
		if _, err := lint.ParseDoc(tc.src, "demo"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ParseDoc error = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestNewPanicsOnUndocumentedRule(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "gamma") {
			t.Errorf("recover() = %v, want a panic naming rule gamma", r)
		}
	}()
	lint.New(lint.Spec{
		Name:  "demo",
		Doc:   testDoc,
		Rules: []*lint.Rule{{Name: "alpha", Since: "v0.1.0"}, {Name: "beta", Since: "v0.1.0"}, {Name: "gamma", Since: "v0.1.0"}},
		Run:   func(*lint.Pass) (any, error) { return nil, nil },
	})
}

func TestRuleSwitches(t *testing.T) {
	for _, tc := range []struct {
		set         []string
		alpha, beta bool
		err         string
	}{
		{nil, true, false, ""},
		{[]string{"+beta"}, true, true, ""},
		{[]string{"beta"}, true, true, ""},
		{[]string{"-alpha"}, false, false, ""},
		{[]string{"-all,+beta"}, false, true, ""},
		{[]string{"+all"}, true, true, ""},
		{[]string{"+beta", "-beta"}, true, false, ""}, // later switches win
		{[]string{" +beta , -alpha ,"}, false, true, ""},
		{[]string{"+gamma"}, true, false, `demo has no rule "gamma" (rules: alpha, beta (off by default))`},
	} {
		a := newDemo(t)
		var err error
		for _, s := range tc.set {
			if err = a.Flags.Set("rules", s); err != nil {
				break
			}
		}
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.set, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.set, err)
		}
		cfg := lint.ConfigOf(a)
		if cfg.Rules["alpha"] != tc.alpha || cfg.Rules["beta"] != tc.beta {
			t.Errorf("%q: alpha=%v beta=%v, want %v %v", tc.set, cfg.Rules["alpha"], cfg.Rules["beta"], tc.alpha, tc.beta)
		}
		if cfg.AllRules() != (tc.alpha && tc.beta) {
			t.Errorf("%q: AllRules() = %v", tc.set, cfg.AllRules())
		}
	}
}

// TestStrict checks the strict profile: a rule marked Strict is on under
// -NAME.strict even though it is off by default, and switches still win.
func TestStrict(t *testing.T) {
	a := lint.New(lint.Spec{
		Name: "demo",
		Doc:  testDoc,
		Rules: []*lint.Rule{
			{Name: "alpha", Default: true, Since: "v0.1.0"},
			{Name: "beta", Strict: true, Since: "v0.1.0"},
		},
		Run: func(*lint.Pass) (any, error) { return nil, nil },
	})
	if cfg := lint.ConfigOf(a); cfg.Rules["beta"] || cfg.Strict {
		t.Errorf("without -strict: %+v, want beta off", cfg)
	}
	if err := a.Flags.Set("strict", "true"); err != nil {
		t.Fatal(err)
	}
	if cfg := lint.ConfigOf(a); !cfg.Rules["beta"] || !cfg.Rules["alpha"] || !cfg.Strict {
		t.Errorf("with -strict: %+v, want alpha and beta on", cfg)
	}
	if err := a.Flags.Set("rules", "-beta"); err != nil {
		t.Fatal(err)
	}
	if cfg := lint.ConfigOf(a); cfg.Rules["beta"] {
		t.Errorf("with -strict -rules=-beta: %+v, want beta off", cfg)
	}
}

func TestCloneHasOwnFlags(t *testing.T) {
	a := newDemo(t)
	c := lint.Clone(a)
	if err := c.Flags.Set("rules", "+beta"); err != nil {
		t.Fatal(err)
	}
	if err := c.Flags.Set("tests", "true"); err != nil {
		t.Fatal(err)
	}
	if cfg := lint.ConfigOf(a); cfg.Rules["beta"] || cfg.Tests {
		t.Errorf("configuring the clone changed the original: %+v", cfg)
	}
	if cfg := lint.ConfigOf(c); !cfg.Rules["beta"] || !cfg.Tests {
		t.Errorf("clone config = %+v, want beta and tests on", cfg)
	}
	if lint.SpecOf(c) != lint.SpecOf(a) {
		t.Errorf("clone lost its spec")
	}
}

func TestFlagsDeclared(t *testing.T) {
	a := lint.New(lint.Spec{
		Name:         "demo",
		Doc:          testDoc,
		Rules:        []*lint.Rule{{Name: "alpha", Default: true, Since: "v0.1.0"}, {Name: "beta", Since: "v0.1.0"}},
		RuntimeFixes: true,
		Options:      []*lint.Option{{Name: "canonical", Default: "x/y", Usage: "the canonical package"}},
		Run:          func(*lint.Pass) (any, error) { return nil, nil },
	})
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if got, want := strings.Join(names, " "), "canonical rules runtimefixes strict tests"; got != want {
		t.Errorf("flags = %q, want %q", got, want)
	}
	// The usage reads the same for every analyzer, so that help can print
	// it once as -NAME.rules; an unknown rule's error lists the rules.
	if err := a.Flags.Set("rules", "+gamma"); err == nil || !strings.Contains(err.Error(), "beta (off by default)") {
		t.Errorf("an unknown rule's error does not list the rules: %v", err)
	}
}
