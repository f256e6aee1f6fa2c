package driver

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

// maxFixRounds bounds -fix: fixes that conflict in one round are applied in
// the next, after re-analysis.
const maxFixRounds = 3

// devRuntimeVersion is the runtime version a development build of resilvet
// requires: it resolves only through a replace directive.
const devRuntimeVersion = "v0.0.0-00010101000000-000000000000"

// runFix applies fixes, re-analyses and repeats until nothing applies or
// maxFixRounds rounds are done; then it reports what is left. With -diff it
// works on an overlay and prints the change instead of writing it.
func runFix(o *options, patterns []string, stdout, stderr io.Writer) int {
	r := &fixRun{
		o:         o,
		patterns:  patterns,
		stderr:    stderr,
		overlay:   make(map[string][]byte),
		originals: make(map[string][]byte),
	}
	out, status := r.run()
	if out == nil {
		return status // an error, reported
	}
	if o.diff {
		return r.printDiff(stdout)
	}
	return r.report(out, stdout)
}

// A fixRun is the state of one -fix: the rounds done and what they changed.
type fixRun struct {
	o        *options
	patterns []string
	stderr   io.Writer

	overlay   map[string][]byte // -diff: the current content of changed files
	originals map[string][]byte // content before the first change
	applied   int               // fixes applied in all rounds
	skipped   int               // fixes skipped in the last round
	rounds    int
}

// read returns a file's current content: the overlay's with -diff.
func (r *fixRun) read(name string) ([]byte, error) {
	if c, ok := r.overlay[name]; ok {
		return c, nil
	}
	return os.ReadFile(name)
}

// fail reports err and returns the error status.
func (r *fixRun) fail(err error) (*outcome, int) {
	fmt.Fprintf(r.stderr, "resilvet: %v\n", err)
	return nil, exitError
}

// run does the rounds and returns the last analysis, or nil and the exit
// status after an error it has reported.
func (r *fixRun) run() (*outcome, int) {
	for {
		out, err := analyze(r.o, r.patterns, r.overlay)
		if err != nil {
			return r.fail(err)
		}
		if len(out.loadErrs) > 0 {
			if r.rounds > 0 {
				fmt.Fprintf(r.stderr, "resilvet: after %d round(s) of fixes, packages no longer build; please report this:\n", r.rounds)
			} else {
				fmt.Fprintln(r.stderr, "resilvet: -fix changes nothing while packages do not build:")
			}
			reportErrors(out, r.stderr)
			return nil, exitError
		}
		if r.o.baseline != "" {
			if out.findings, err = applyBaseline(r.o.baseline, out.findings); err != nil {
				return r.fail(err)
			}
		}
		if r.rounds == maxFixRounds {
			return out, exitClean // report what is left
		}
		changed, stats, err := applyFixes(out.findings, r.read, generatedFiles(out.roots))
		if err != nil {
			return r.fail(err)
		}
		r.skipped = stats.skipped
		if len(changed) == 0 {
			return out, exitClean // a fixed point
		}
		r.rounds++
		r.applied += stats.applied
		if err := r.write(changed, out); err != nil {
			return r.fail(err)
		}
	}
}

// write records the round's changed files — in the overlay with -diff, on
// disk otherwise — and makes the modules whose files now import the runtime
// require it.
func (r *fixRun) write(changed map[string]*fixedFile, out *outcome) error {
	modules := make(map[string]bool) // go.mod files that need the runtime
	for _, name := range sortedKeys(changed) {
		if _, ok := r.originals[name]; !ok {
			prev, err := r.read(name)
			if err != nil {
				return err
			}
			r.originals[name] = prev
		}
		ff := changed[name]
		if len(ff.runtimeImports) > 0 {
			if gomod := moduleOf(name, out.roots); gomod != "" {
				modules[gomod] = true
			}
		}
		if r.o.diff {
			r.overlay[name] = ff.content
		} else if err := writeFileAtomic(name, ff.content); err != nil {
			return err
		}
	}
	for _, gomod := range sortedKeys(modules) {
		if err := requireRuntime(gomod, r.o.diff, r.overlay, r.originals, r.stderr); err != nil {
			return err
		}
	}
	return nil
}

// printDiff prints the change of every file as a unified diff.
func (r *fixRun) printDiff(stdout io.Writer) int {
	for _, name := range sortedKeys(r.originals) {
		if _, err := io.WriteString(stdout, unifiedDiff(relPath(name)+" (old)", relPath(name)+" (new)", string(r.originals[name]), string(r.overlay[name]))); err != nil {
			_, status := r.fail(err)
			return status
		}
	}
	if len(r.originals) > 0 {
		return exitFindings
	}
	return exitClean
}

// report says what -fix did and prints the findings left after it.
func (r *fixRun) report(out *outcome, stdout io.Writer) int {
	status := reportErrors(out, r.stderr)
	if r.applied > 0 {
		fmt.Fprintf(r.stderr, "resilvet: applied %s to %s in %s\n",
			plural(r.applied, "fix", "fixes"), plural(len(r.originals)-countGoMod(r.originals), "file", "files"), plural(r.rounds, "round", "rounds"))
	}
	if left := countFixable(out.findings) - r.skipped; left > 0 {
		fmt.Fprintf(r.stderr, "resilvet: %s not applied after %d rounds (conflicting edits): run resilvet -fix again\n", plural(left, "fix", "fixes"), maxFixRounds)
	}
	if r.skipped > 0 {
		fmt.Fprintf(r.stderr, "resilvet: %s skipped: they edit generated or cgo-processed files\n", plural(r.skipped, "fix", "fixes"))
	}
	if err := printFindings(r.o, out, out.findings, stdout); err != nil {
		_, status := r.fail(err)
		return status
	}
	if status == exitClean && len(out.findings) > 0 {
		status = exitFindings
	}
	return status
}

// generatedFiles returns the generated files of pkgs, by name.
func generatedFiles(pkgs []*packages.Package) map[string]bool {
	gen := make(map[string]bool)
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			if lint.IsGenerated(f, p.Fset) {
				gen[p.Fset.File(f.FileStart).Name()] = true
			}
		}
	}
	return gen
}

// moduleOf returns the go.mod of the module holding file, or "".
func moduleOf(file string, pkgs []*packages.Package) string {
	for _, p := range pkgs {
		if p.Module != nil && slices.Contains(p.CompiledGoFiles, file) {
			return p.Module.GoMod
		}
	}
	return ""
}

// requireRuntime makes the module of gomod require the runtime module,
// unless it already resolves it (a requirement, or a go.work that uses it).
// It requires resilvet's own version, through go get so that go.sum is
// complete; with -diff it computes the new go.mod into the overlay.
func requireRuntime(gomod string, diff bool, overlay, originals map[string][]byte, stderr io.Writer) error {
	if _, done := overlay[gomod]; done {
		return nil
	}
	dir := gomod[:strings.LastIndexAny(gomod, `/\`)]
	if err := goCmd(dir, "list", "-m", match.RuntimePath).Run(); err == nil {
		return nil // already in the build list
	}
	v := version()
	if v == "" {
		v = devRuntimeVersion
		fmt.Fprintf(stderr, "resilvet: this is a development build: %s requires %s@%s, which resolves only through a replace directive\n", gomod, match.RuntimePath, v)
	}
	prev, err := os.ReadFile(gomod)
	if err != nil {
		return err
	}
	if diff {
		cmd := goCmd(dir, "mod", "edit", "-print", "-require="+match.RuntimePath+"@"+v)
		next, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("go mod edit: %w", err)
		}
		originals[gomod] = prev
		overlay[gomod] = next
		return nil
	}
	var msg bytes.Buffer
	cmd := goCmd(dir, "get", match.RuntimePath+"@"+v)
	cmd.Stdout, cmd.Stderr = &msg, &msg
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the fixes import %s, but `go get %s@%s` in %s failed:\n%s", match.RuntimePath, match.RuntimePath, v, dir, strings.TrimSpace(msg.String()))
	}
	originals[gomod] = prev
	// go get marks the requirement // indirect before it sees the imports;
	// they are direct.
	next, err := os.ReadFile(gomod)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(string(next), "\n")
	for i, l := range lines {
		if strings.Contains(l, match.RuntimePath+" ") {
			lines[i] = strings.Replace(l, " // indirect", "", 1)
		}
	}
	return writeFileAtomic(gomod, []byte(strings.Join(lines, "")))
}

func goCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	return cmd
}

func countFixable(findings []*finding) int {
	n := 0
	for _, f := range findings {
		if len(f.diag.SuggestedFixes) > 0 {
			n++
		}
	}
	return n
}

func countGoMod(files map[string][]byte) int {
	n := 0
	for name := range files {
		if strings.HasSuffix(name, "go.mod") {
			n++
		}
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
