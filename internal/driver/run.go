package driver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

// Run runs the standalone driver with args (without the program name) and
// returns its exit status.
func Run(suite []*analysis.Analyzer, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "help":
			return help(suite, args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, versionLine())
			return exitClean
		}
	}
	o, patterns, err := parseFlags(suite, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		if !errors.Is(err, errFlagPrinted) {
			fmt.Fprintf(stderr, "resilvet: %v\n", err)
		}
		return exitError
	}
	if o.version {
		fmt.Fprintln(stdout, versionLine())
		return exitClean
	}
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	if o.fix {
		return runFix(o, patterns, stdout, stderr)
	}
	return runCheck(o, patterns, stdout, stderr)
}

// runCheck analyses once and prints the findings.
func runCheck(o *options, patterns []string, stdout, stderr io.Writer) int {
	out, err := analyzeCheck(o, patterns)
	if err != nil {
		fmt.Fprintf(stderr, "resilvet: %v\n", err)
		return exitError
	}
	status := reportErrors(out, stderr)
	findings := out.findings
	if o.writeBaseline != "" {
		if err := writeBaseline(o.writeBaseline, findings); err != nil {
			fmt.Fprintf(stderr, "resilvet: writing baseline: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stderr, "resilvet: wrote %d findings to %s\n", len(findings), o.writeBaseline)
		return status
	}
	if o.baseline != "" {
		if findings, err = applyBaseline(o.baseline, findings); err != nil {
			fmt.Fprintf(stderr, "resilvet: %v\n", err)
			return exitError
		}
	}
	if err := printFindings(o, out, findings, stdout); err != nil {
		fmt.Fprintf(stderr, "resilvet: %v\n", err)
		return exitError
	}
	if !o.json && !o.sarif {
		printSummary(o, out, findings, stderr) // the machine formats say it all on stdout
	}
	if status == exitClean && len(findings) > 0 {
		status = exitFindings
	}
	return status
}

// printSummary closes a run with one line on stderr: how many findings in
// how many packages, how many have a fix, and how many rules were off.
func printSummary(o *options, out *outcome, findings []*finding, stderr io.Writer) {
	pkgs := make(map[string]bool)
	fixable := 0
	for _, f := range findings {
		pkgs[strings.TrimSuffix(f.pkg.PkgPath, "_test")] = true
		if len(f.diag.SuggestedFixes) > 0 {
			fixable++
		}
	}
	analysed := make(map[string]bool)
	for _, p := range out.roots {
		analysed[strings.TrimSuffix(p.PkgPath, "_test")] = true
	}
	broken := 0
	for p := range brokenPackages(out.roots) {
		if slices.Contains(out.roots, p) && !strings.HasSuffix(p.ID, "]") {
			broken++ // a root, counted once across its test variants
		}
	}
	var b strings.Builder
	b.WriteString("resilvet: ")
	if broken > 0 {
		fmt.Fprintf(&b, "%s (errors above); ", plural(broken, "package does not build", "packages do not build"))
	}
	switch {
	case len(findings) == 0 && broken > 0 && len(analysed) > broken:
		b.WriteString("no findings in the others")
	case len(findings) == 0 && broken > 0:
		b.WriteString("nothing else to analyse")
	case len(findings) == 0:
		fmt.Fprintf(&b, "no findings in %s", plural(len(analysed), "package", "packages"))
	case fixable > 0 && !o.fix:
		fmt.Fprintf(&b, "%s in %s (%d with a fix: resilvet -fix applies them)", plural(len(findings), "finding", "findings"), plural(len(pkgs), "package", "packages"), fixable)
	default:
		fmt.Fprintf(&b, "%s in %s", plural(len(findings), "finding", "findings"), plural(len(pkgs), "package", "packages"))
	}
	off := 0
	for _, a := range o.analyzers {
		for _, on := range lint.ConfigOf(a).Rules {
			if !on {
				off++
			}
		}
	}
	if off > 0 {
		fmt.Fprintf(&b, "; %s off, see resilvet help", plural(off, "rule", "rules"))
	}
	fmt.Fprintln(stderr, b.String())
}

func printFindings(o *options, out *outcome, findings []*finding, stdout io.Writer) error {
	switch {
	case o.json:
		return printJSON(stdout, findings, out.analysErrs)
	case o.sarif:
		return printSARIF(stdout, o.analyzers, out, findings)
	default:
		// Findings go to stdout, as staticcheck's and golangci-lint's do,
		// so that `resilvet ./... > findings.txt` captures them; errors go
		// to stderr. (go vet prints both to stderr.)
		printText(stdout, findings, o.context)
		return nil
	}
}

// reportErrors prints load and analysis errors and returns exitError if
// there were any.
func reportErrors(out *outcome, stderr io.Writer) int {
	for _, e := range out.loadErrs {
		fmt.Fprintln(stderr, e.String())
	}
	for _, e := range out.analysErrs {
		fmt.Fprintf(stderr, "resilvet: %s failed on %s: %s\n", e.analyzer, e.pkgID, e.err)
	}
	if len(out.loadErrs)+len(out.analysErrs) > 0 {
		return exitError
	}
	return exitClean
}
