package lint

import (
	"flag"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/match"
)

// declareFlags declares the flags every analyzer built by New shares; the
// drivers prefix them with the analyzer's name (-NAME.rules).
func declareFlags(a *analysis.Analyzer, m *meta) {
	s := m.spec
	st := &state{meta: m}
	a.Flags.Var(&rulesFlag{state: st}, "rules",
		"switch rules on (+rule) or off (-rule), a comma-separated `list`; +all and -all switch every rule; rules marked [off] in resilvet help are off by default")
	a.Run = func(p *analysis.Pass) (any, error) { return run(st, p) }
	a.Requires = s.Requires
	if s.Facts != nil {
		fa := &analysis.Analyzer{
			Name:       s.Name + "facts",
			Doc:        "the facts that " + s.Name + " exports, computed on every package, dependencies included",
			URL:        a.URL,
			Requires:   s.Facts.Requires,
			FactTypes:  s.Facts.Types,
			ResultType: reflect.TypeFor[*factsResult](),
		}
		fa.Run = func(p *analysis.Pass) (any, error) { return runFacts(st, a, p) }
		st.facts = fa
		a.Requires = append(slices.Clip(s.Requires), fa)
	}
	a.Flags.Bool("tests", false, "report findings in _test.go files too")
	a.Flags.Bool("strict", false, "the strict profile: also the rules and shapes marked strict in resilvet help, for a team that starts all its work through the runtime")
	if s.RuntimeFixes {
		a.Flags.Bool("runtimefixes", false,
			"offer fixes that import "+match.RuntimePath+" even where the package does not depend on it yet")
	}
	for _, o := range s.Options {
		a.Flags.String(o.Name, o.Default, o.Usage)
	}
}

func ruleList(s *Spec) string {
	var b strings.Builder
	for i, r := range s.Rules {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.Name)
		switch {
		case !r.Default && r.Strict:
			b.WriteString(" (strict)")
		case !r.Default:
			b.WriteString(" (off by default)")
		}
	}
	return b.String()
}

// state is what one analyzer value (the one New returns, or a clone) keeps
// beside its flags: what New derived from the Spec, and the record of used
// directives a driver may ask for (see RecordUses).
type state struct {
	meta  *meta
	uses  *Uses              // nil unless a driver records
	facts *analysis.Analyzer // the fact pass (see FactPass), or nil
}

// stateOf returns a's state, or nil if a was not built by New.
func stateOf(a *analysis.Analyzer) *state {
	if f := a.Flags.Lookup("rules"); f != nil {
		if rf, ok := f.Value.(*rulesFlag); ok {
			return rf.state
		}
	}
	return nil
}

// rulesFlag is the value of -NAME.rules: the analyzer's default rule set
// modified by the switches given, in order.
type rulesFlag struct {
	*state
	switches []string // canonical "+rule" / "-rule", in the order given
}

func (f *rulesFlag) String() string {
	if f == nil {
		return "" // flag.isZeroValue calls String on a zero value
	}
	return strings.Join(f.switches, ",")
}

// Set adds the comma-separated switches in s. Each is "+rule", "-rule",
// "rule" (same as "+rule"), "+all" or "-all". An unknown rule is an error
// that lists the analyzer's rules.
func (f *rulesFlag) Set(s string) error {
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue // tolerate "a,,b" and a trailing comma
		}
		sign := "+"
		if item[0] == '+' || item[0] == '-' {
			sign, item = item[:1], item[1:]
		}
		if spec := f.meta.spec; item != "all" && !slices.ContainsFunc(spec.Rules, func(r *Rule) bool { return r.Name == item }) {
			return fmt.Errorf("%s has no rule %q (rules: %s)", spec.Name, item, ruleList(spec))
		}
		f.switches = append(f.switches, sign+item)
	}
	return nil
}

// enabled returns the set of rules that are on: the defaults (of the strict
// profile, if strict), then the switches in order.
func (f *rulesFlag) enabled(strict bool) map[string]bool {
	on := make(map[string]bool, len(f.meta.spec.Rules))
	for _, r := range f.meta.spec.Rules {
		on[r.Name] = r.Default || strict && r.Strict
	}
	for _, sw := range f.switches {
		val, name := sw[0] == '+', sw[1:]
		if name == "all" {
			for r := range on {
				on[r] = val
			}
			continue
		}
		on[name] = val
	}
	return on
}

// Config is the configuration of an analyzer built by New, as its flags
// hold it now.
type Config struct {
	Rules        map[string]bool // rule name → on
	Tests        bool            // report in _test.go files
	RuntimeFixes bool            // -NAME.runtimefixes
	Strict       bool            // -NAME.strict: the strict profile
}

// AllRules reports whether every rule of the analyzer is on.
func (c Config) AllRules() bool {
	for _, on := range c.Rules {
		if !on {
			return false
		}
	}
	return true
}

// ConfigOf reads the configuration from a's flags. a must have been built by New.
func ConfigOf(a *analysis.Analyzer) Config {
	var c Config
	c.Strict = boolFlag(a, "strict")
	if f := a.Flags.Lookup("rules"); f != nil {
		c.Rules = f.Value.(*rulesFlag).enabled(c.Strict)
	}
	c.Tests = boolFlag(a, "tests")
	c.RuntimeFixes = boolFlag(a, "runtimefixes")
	return c
}

func boolFlag(a *analysis.Analyzer, name string) bool {
	f := a.Flags.Lookup(name)
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}
