package plugin

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/lint"
)

func init() {
	register.Plugin("resilvet", New)
}

// Settings is the plugin's configuration: the settings key of
// linters.settings.custom.resilvet in .golangci.yml. See the package doc.
type Settings struct {
	// Default is "all" (the default) or "none": whether an analyzer that is
	// not listed in Analyzers runs.
	Default string `json:"default"`
	// Tests reports findings in _test.go files (-NAME.tests) for every
	// analyzer that does not set its own.
	Tests bool `json:"tests"`
	// RuntimeFixes offers fixes that import the runtime module
	// (-NAME.runtimefixes) for every analyzer that has such fixes and does
	// not set its own.
	RuntimeFixes bool `json:"runtimefixes"`
	// Strict switches on the strict profile (-NAME.strict) of every
	// analyzer that does not set its own.
	Strict bool `json:"strict"`
	// Analyzers configures analyzers by name.
	Analyzers map[string]AnalyzerSettings `json:"analyzers"`
}

// AnalyzerSettings configures one analyzer. Unset fields keep the
// analyzer's defaults (or the top-level Tests and RuntimeFixes).
type AnalyzerSettings struct {
	// Enabled says whether the analyzer runs; unset, Settings.Default
	// decides.
	Enabled *bool `json:"enabled"`
	// Rules switches rules, exactly as -NAME.rules: "+rule,-rule".
	Rules        string            `json:"rules"`
	Tests        *bool             `json:"tests"`
	RuntimeFixes *bool             `json:"runtimefixes"`
	Strict       *bool             `json:"strict"`
	Options      map[string]string `json:"options"` // -NAME.<option>
}

// settingsKeys is appended to decoding errors: encoding/json names the
// unknown key but not the ones it would have accepted.
const settingsKeys = "settings keys: default, tests, runtimefixes, strict, analyzers; " +
	"keys of each analyzer: enabled, rules, tests, runtimefixes, strict, options"

// New is the plugin's constructor, registered as "resilvet". It decodes
// settings and configures copies of the suite's analyzers, so that the
// package-level analyzers other drivers share are never modified.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("resilvet: %w (%s)", err, settingsKeys)
	}
	analyzers, err := configure(resilvet.Suite, s)
	if err != nil {
		return nil, fmt.Errorf("resilvet: %w", err)
	}
	return &linter{analyzers: analyzers}, nil
}

// linter is the register.LinterPlugin that New returns.
type linter struct {
	analyzers []*analysis.Analyzer
}

// BuildAnalyzers returns the configured analyzers; golangci-lint runs them
// as one linter.
func (l *linter) BuildAnalyzers() ([]*analysis.Analyzer, error) { return l.analyzers, nil }

// GetLoadMode asks for type information: every analyzer needs it.
func (*linter) GetLoadMode() string { return register.LoadModeTypesInfo }

// ignoreName is the analyzer that checks //resilvet:ignore directives; it
// runs unless it is disabled by name (see the package doc).
const ignoreName = "ignore"

// configure returns the analyzers of suite that s selects, each a clone
// configured through its own flags, so validation is the flags' own.
func configure(suite []*analysis.Analyzer, s Settings) ([]*analysis.Analyzer, error) {
	var all bool
	switch s.Default {
	case "", "all":
		all = true
	case "none":
	default:
		return nil, fmt.Errorf("default: %q is neither all nor none", s.Default)
	}
	names := make([]string, len(suite))
	for i, a := range suite {
		names[i] = a.Name
	}
	for _, name := range slices.Sorted(maps.Keys(s.Analyzers)) {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("analyzers: unknown analyzer %q (analyzers: %s)", name, strings.Join(names, ", "))
		}
	}
	var out []*analysis.Analyzer
	for _, a := range suite {
		as, listed := s.Analyzers[a.Name]
		run := all || a.Name == ignoreName
		if as.Enabled != nil {
			run = *as.Enabled
		}
		if !run && listed && as.Enabled == nil {
			// golangci-lint drops empty maps from its configuration, so
			// listing an analyzer cannot be what selects it; settings that
			// would silently go unused are an error instead.
			return nil, fmt.Errorf("analyzers: %s has settings but does not run with default: none: set enabled: true", a.Name)
		}
		if !run {
			continue // not selected
		}
		c, err := configureOne(a, s, as)
		if err != nil {
			return nil, fmt.Errorf("analyzers: %s: %w", a.Name, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// configureOne returns a clone of a configured by as, with the top-level
// defaults of s, and its findings' category appended to their messages.
func configureOne(a *analysis.Analyzer, s Settings, as AnalyzerSettings) (*analysis.Analyzer, error) {
	c := lint.Clone(a)
	// strict first: it changes the defaults that rules switches apply to.
	if deref(as.Strict, s.Strict) {
		if err := c.Flags.Set("strict", "true"); err != nil {
			panic(err) // lint.New declares -strict on every analyzer
		}
	}
	if as.Rules != "" {
		if err := c.Flags.Set("rules", as.Rules); err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
	}
	if tests := deref(as.Tests, s.Tests); tests {
		if err := c.Flags.Set("tests", "true"); err != nil {
			return nil, err // unreachable: lint.New declares -tests on every analyzer
		}
	}
	if c.Flags.Lookup("runtimefixes") != nil {
		if deref(as.RuntimeFixes, s.RuntimeFixes) {
			if err := c.Flags.Set("runtimefixes", "true"); err != nil {
				return nil, err // unreachable: a boolean flag accepts "true"
			}
		}
	} else if as.RuntimeFixes != nil && *as.RuntimeFixes {
		return nil, fmt.Errorf("runtimefixes: %s offers no fixes that import the runtime module", a.Name)
	}
	opts := lint.SpecOf(a).Options
	for _, key := range slices.Sorted(maps.Keys(as.Options)) {
		i := slices.IndexFunc(opts, func(o *lint.Option) bool { return strings.EqualFold(o.Name, key) })
		if i < 0 {
			return nil, fmt.Errorf("options: unknown option %q (%s)", key, optionList(opts))
		}
		if err := c.Flags.Set(opts[i].Name, as.Options[key]); err != nil {
			return nil, fmt.Errorf("options: %s: %w", opts[i].Name, err)
		}
	}
	appendCategory(c)
	return c, nil
}

// appendCategory wraps c.Run so that every diagnostic's message ends with
// its category, " (analyzer/rule)": golangci-lint shows the message and the
// linter name (resilvet) only, and the rule is what a user switches,
// suppresses and looks up.
func appendCategory(c *analysis.Analyzer) {
	run := c.Run
	c.Run = func(pass *analysis.Pass) (any, error) {
		// A copy, so the driver's own Pass is left as it made it.
		wrapped := *pass
		report := pass.Report
		wrapped.Report = func(d analysis.Diagnostic) {
			if d.Category != "" {
				d.Message += " (" + d.Category + ")"
			}
			report(d)
		}
		return run(&wrapped)
	}
}

func optionList(opts []*lint.Option) string {
	if len(opts) == 0 {
		return "it has no options"
	}
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = o.Name
	}
	return "options: " + strings.Join(names, ", ")
}

func deref(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}
