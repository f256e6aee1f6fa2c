package plugin_test

import (
	"flag"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/linttest"
	_ "github.com/resilvet/resilvet/plugin"
)

// build constructs the plugin as golangci-lint does: by name, from the
// settings it decoded from YAML (maps of any).
func build(t *testing.T, settings any) ([]*analysis.Analyzer, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin("resilvet")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		return nil, err
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", mode, register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

func mustBuild(t *testing.T, settings any) []*analysis.Analyzer {
	t.Helper()
	analyzers, err := build(t, settings)
	if err != nil {
		t.Fatalf("settings %v: %v", settings, err)
	}
	return analyzers
}

// named returns the analyzer called name, failing the test if there is none.
func named(t *testing.T, analyzers []*analysis.Analyzer, name string) *analysis.Analyzer {
	t.Helper()
	for _, a := range analyzers {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no analyzer %s among %v", name, names(analyzers))
	return nil
}

func names(analyzers []*analysis.Analyzer) []string {
	var ns []string
	for _, a := range analyzers {
		ns = append(ns, a.Name)
	}
	return ns
}

type settings = map[string]any

func TestReportsThroughPlugin(t *testing.T) {
	t.Run("tests on, category in the message", func(t *testing.T) {
		a := named(t, mustBuild(t, settings{"tests": true}), "ignore")
		linttest.Run(t, a, "malformed")
	})
	t.Run("tests off by default", func(t *testing.T) {
		a := named(t, mustBuild(t, nil), "ignore")
		linttest.Run(t, a, "testsoff")
	})
	t.Run("an analyzer's tests overrides the top level", func(t *testing.T) {
		a := named(t, mustBuild(t, settings{
			"tests":     true,
			"analyzers": settings{"ignore": settings{"tests": false}},
		}), "ignore")
		linttest.Run(t, a, "testsoff")
	})
	t.Run("rule switched off", func(t *testing.T) {
		a := named(t, mustBuild(t, settings{
			"tests":     true,
			"analyzers": settings{"ignore": settings{"rules": "-malformed"}},
		}), "ignore")
		linttest.Run(t, a, "ruleoff")
	})
	t.Run("rule switched off then on again", func(t *testing.T) {
		a := named(t, mustBuild(t, settings{
			"tests":     true,
			"analyzers": settings{"ignore": settings{"rules": "-all,+malformed"}},
		}), "ignore")
		linttest.Run(t, a, "malformed")
	})
}

func TestSelection(t *testing.T) {
	all := names(resilvet.Suite)
	if got := names(mustBuild(t, nil)); !slices.Equal(got, all) {
		t.Errorf("no settings: analyzers %v, want the suite %v", got, all)
	}
	if got := names(mustBuild(t, settings{"default": "all"})); !slices.Equal(got, all) {
		t.Errorf("default all: analyzers %v, want the suite %v", got, all)
	}
	// The ignore analyzer runs unless disabled by name: it is the one place
	// a malformed directive is reported.
	if got := names(mustBuild(t, settings{"default": "none"})); !slices.Equal(got, []string{"ignore"}) {
		t.Errorf("default none: analyzers %v, want [ignore]", got)
	}
	got := names(mustBuild(t, settings{"default": "none", "analyzers": settings{"ignore": settings{"enabled": false}}}))
	if len(got) != 0 {
		t.Errorf("default none, ignore disabled: analyzers %v, want none", got)
	}
	for _, a := range resilvet.Suite {
		// Every analyzer can be switched off alone, and enabled alone runs alone.
		got := names(mustBuild(t, settings{"analyzers": settings{a.Name: settings{"enabled": false}}}))
		want := slices.DeleteFunc(slices.Clone(all), func(n string) bool { return n == a.Name })
		if !slices.Equal(got, want) {
			t.Errorf("%s disabled: analyzers %v, want %v", a.Name, got, want)
		}
		got = names(mustBuild(t, settings{"default": "none", "analyzers": settings{a.Name: settings{"enabled": true}}}))
		want = []string{a.Name}
		if a.Name != "ignore" {
			want = []string{"ignore", a.Name}
			slices.Sort(want)
		}
		if !slices.Equal(got, want) {
			t.Errorf("default none, %s listed: analyzers %v, want %v", a.Name, got, want)
		}
	}
}

func TestBadSettings(t *testing.T) {
	for _, test := range []struct {
		name     string
		settings any
		want     []string // substrings of the error
	}{
		{"unknown top-level key", settings{"analyser": settings{}},
			[]string{`unknown field "analyser"`, "settings keys: default, tests, runtimefixes, strict, analyzers"}},
		{"unknown analyzer key", settings{"analyzers": settings{"ignore": settings{"rule": "-malformed"}}},
			[]string{`unknown field "rule"`, "keys of each analyzer: enabled, rules"}},
		{"unknown analyzer", settings{"analyzers": settings{"nosuch": settings{}}},
			[]string{`unknown analyzer "nosuch"`, "(analyzers: " + strings.Join(names(resilvet.Suite), ", ") + ")"}},
		{"unknown rule", settings{"analyzers": settings{"ignore": settings{"rules": "+malformed,-nosuch"}}},
			[]string{"analyzers: ignore: rules:", `ignore has no rule "nosuch"`, "(rules: malformed, unused)"}},
		{"rules as a list", settings{"analyzers": settings{"ignore": settings{"rules": []any{"-malformed"}}}},
			[]string{"cannot unmarshal array", "rules"}},
		{"unknown option", settings{"analyzers": settings{"ignore": settings{"options": settings{"depth": "3"}}}},
			[]string{`analyzers: ignore: options: unknown option "depth" (it has no options)`}},
		{"runtime fixes of an analyzer without them", settings{"analyzers": settings{"ignore": settings{"runtimefixes": true}}},
			[]string{"ignore offers no fixes that import the runtime module"}},
		{"settings of an analyzer that does not run", settings{"default": "none", "analyzers": settings{"ignore": settings{"enabled": false}, firstNotIgnore(): settings{"tests": true}}},
			[]string{"analyzers: " + firstNotIgnore() + " has settings but does not run with default: none: set enabled: true"}},
		{"bad default", settings{"default": "some"},
			[]string{`default: "some" is neither all nor none`}},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := build(t, test.settings)
			if err == nil {
				t.Fatalf("settings %v accepted", test.settings)
			}
			for _, w := range test.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "resilvet: ") {
				t.Errorf("error %q does not name the plugin", err)
			}
		})
	}
}

// TestSharedAnalyzersUntouched checks that configuring the plugin changes
// copies only: the suite's analyzers keep their default flags, and other
// drivers in the same process see them unchanged.
func TestSharedAnalyzersUntouched(t *testing.T) {
	before := flagValues(resilvet.Suite)
	everything := settings{}
	for _, a := range resilvet.Suite {
		as := settings{"rules": "-all", "tests": true}
		if a.Flags.Lookup("runtimefixes") != nil {
			as["runtimefixes"] = true
		}
		everything[a.Name] = as
	}
	built := mustBuild(t, settings{"analyzers": everything})
	for i, a := range built {
		if a == resilvet.Suite[i] {
			t.Errorf("plugin returned the shared analyzer %s itself", a.Name)
		}
		c := lint.ConfigOf(a)
		if !c.Tests || slices.ContainsFunc(slices.Collect(maps.Values(c.Rules)), func(on bool) bool { return on }) {
			t.Errorf("%s: configuration %+v, want tests on and every rule off", a.Name, c)
		}
	}
	if after := flagValues(resilvet.Suite); !slices.Equal(before, after) {
		t.Errorf("shared analyzers' flags changed:\nbefore %v\nafter  %v", before, after)
	}
	for _, a := range resilvet.Suite {
		a.Flags.VisitAll(func(f *flag.Flag) {
			if f.Value.String() != f.DefValue {
				t.Errorf("shared analyzer flag -%s.%s = %q, want its default %q", a.Name, f.Name, f.Value, f.DefValue)
			}
		})
	}
}

func flagValues(analyzers []*analysis.Analyzer) []string {
	var vs []string
	for _, a := range analyzers {
		a.Flags.VisitAll(func(f *flag.Flag) { vs = append(vs, a.Name+"."+f.Name+"="+f.Value.String()) })
	}
	return vs
}

// firstNotIgnore returns the name of an analyzer of the suite other than
// ignore, or ignore itself while it is the only one.
func firstNotIgnore() string {
	for _, a := range resilvet.Suite {
		if a.Name != "ignore" {
			return a.Name
		}
	}
	return "ignore"
}
