package driver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
)

// Run runs the standalone driver with args (without the program name) and
// returns its exit status.
func Run(suite []*analysis.Analyzer, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		return help(suite, args[1:], stdout, stderr)
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
	out, err := analyze(o, patterns, nil)
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
	if status == exitClean && len(findings) > 0 {
		status = exitFindings
	}
	return status
}

func printFindings(o *options, out *outcome, findings []*finding, stdout io.Writer) error {
	switch {
	case o.json:
		return printJSON(stdout, findings, out.analysErrs)
	case o.sarif:
		return printSARIF(stdout, o.analyzers, findings)
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
		fmt.Fprintln(stderr, e)
	}
	for _, e := range out.analysErrs {
		fmt.Fprintf(stderr, "resilvet: %s failed on %s: %s\n", e.analyzer, e.pkgID, e.err)
	}
	if len(out.loadErrs)+len(out.analysErrs) > 0 {
		return exitError
	}
	return exitClean
}

// writeFileAtomic replaces path with data: a reader sees the old file or the
// new one, never a part. The file keeps its mode.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".resilvet-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
