package driver

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

// help prints the analyzers and their rules, or one analyzer's (or rule's)
// documentation.
func help(suite []*analysis.Analyzer, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		fmt.Fprintln(stdout, "\nAnalyzers and their rules (on unless marked [off]; [strict]: on with -strict):")
		for _, a := range suite {
			doc := lint.DocOf(a)
			fmt.Fprintf(stdout, "\n  %-14s %s\n", a.Name, doc.Summary)
			for _, r := range lint.SpecOf(a).Rules {
				state := ""
				switch {
				case !r.Default && r.Strict:
					state = " [strict]"
				case !r.Default:
					state = " [off]"
				}
				fmt.Fprintf(stdout, "    %-18s %s%s\n", r.Name, doc.Rule(r.Name).Summary, state)
			}
		}
		fmt.Fprintln(stdout, "\nFlags:")
		for _, f := range FlagDocs(suite) {
			name := "-" + f.Name
			if f.Arg != "" {
				name += " " + f.Arg
			}
			fmt.Fprintf(stdout, "  %-24s %s\n", name, f.Usage)
		}
		fmt.Fprint(stdout, `
Suppress one finding with a comment on its line or the line above:
  //resilvet:ignore ANALYZER[,ANALYZER/RULE] reason
`)
		return exitClean
	}
	name, rule, _ := strings.Cut(args[0], "/")
	for _, a := range suite {
		if a.Name != name {
			continue
		}
		doc := lint.DocOf(a)
		if rule == "" {
			fmt.Fprintf(stdout, "%s: %s\n\nDocumentation: %s\n", a.Name, doc.Text, doc.URL)
			return exitClean
		}
		if rd := doc.Rule(rule); rd != nil {
			fmt.Fprintf(stdout, "%s/%s\n\n%s\n\nDocumentation: %s\n", a.Name, rd.Name, rd.Text, rd.URL)
			return exitClean
		}
		var rules []string
		for _, r := range lint.SpecOf(a).Rules {
			rules = append(rules, r.Name)
		}
		fmt.Fprintf(stderr, "resilvet: %s has no rule %q (rules: %s)\n", name, rule, strings.Join(rules, ", "))
		return exitError
	}
	// A rule named without its analyzer: say which analyzer has it.
	var owners []string
	for _, a := range suite {
		if s := lint.SpecOf(a); s != nil && rule == "" {
			for _, r := range s.Rules {
				if r.Name == name {
					owners = append(owners, a.Name+"/"+r.Name)
				}
			}
		}
	}
	if len(owners) > 0 {
		fmt.Fprintf(stderr, "resilvet: no analyzer named %q; did you mean %s?\n", name, strings.Join(owners, " or "))
		return exitError
	}
	fmt.Fprintf(stderr, "resilvet: no analyzer named %q; run 'resilvet help' for the list\n", name)
	return exitError
}
