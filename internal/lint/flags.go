package lint

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// declareFlags declares the flags every analyzer built by New shares; the
// drivers prefix them with the analyzer's name (-NAME.rules).
func declareFlags(a *analysis.Analyzer, s *Spec) {
	a.Flags.Var(&rulesFlag{spec: s}, "rules",
		"switch rules on (+rule) or off (-rule), comma-separated; +all and -all switch every rule; rules: "+ruleList(s))
	a.Flags.Bool("tests", false, "report findings in _test.go files too")
	if s.RuntimeFixes {
		a.Flags.Bool("runtimefixes", false,
			"offer fixes that import "+RuntimePath+" even where the package does not depend on it yet")
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
		if !r.Default {
			b.WriteString(" (off by default)")
		}
	}
	return b.String()
}

// rulesFlag is the value of -NAME.rules: the analyzer's default rule set
// modified by the switches given, in order.
type rulesFlag struct {
	spec     *Spec
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
		if item != "all" && !slices.ContainsFunc(f.spec.Rules, func(r Rule) bool { return r.Name == item }) {
			return fmt.Errorf("%s has no rule %q (rules: %s)", f.spec.Name, item, ruleList(f.spec))
		}
		f.switches = append(f.switches, sign+item)
	}
	return nil
}

// enabled returns the set of rules that are on.
func (f *rulesFlag) enabled() map[string]bool {
	on := make(map[string]bool, len(f.spec.Rules))
	for _, r := range f.spec.Rules {
		on[r.Name] = r.Default
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
	if f := a.Flags.Lookup("rules"); f != nil {
		c.Rules = f.Value.(*rulesFlag).enabled()
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
