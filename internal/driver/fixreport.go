package driver

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A change is the new content of one file that -fix writes.
type change struct {
	name     string
	old, new []byte
}

// changes returns what -fix writes: the fixed files, and the go.mod and
// go.sum of each module whose fixed files now import the runtime.
func (r *fixRun) changes() ([]change, []string) {
	var out []change
	needs := make(map[string]bool) // go.mod files whose fixes import the runtime
	for _, name := range sortedKeys(r.originals) {
		old, fixed := r.originals[name], r.overlay[name]
		out = append(out, change{name, old, fixed})
		if gomod := r.modules[name]; len(newRuntimeImports(old, fixed)) > 0 && r.plans[gomod] != nil && r.plans[gomod].newMod != nil {
			needs[gomod] = true
		}
	}
	var notes []string
	for _, gomod := range sortedKeys(needs) {
		p := r.plans[gomod]
		out = append(out, change{gomod, p.oldMod, p.newMod})
		if p.newSum != nil {
			out = append(out, change{filepath.Join(filepath.Dir(gomod), "go.sum"), p.oldSum, p.newSum})
		}
		notes = append(notes, p.note)
	}
	return out, notes
}

// write writes every change, each atomically; if one fails, those already
// written are restored, so that -fix leaves all files as they were or all
// fixed.
func (r *fixRun) write() error {
	changes, notes := r.changes()
	existed := make(map[string]bool)
	for _, c := range changes {
		_, err := os.Stat(c.name)
		existed[c.name] = err == nil
	}
	for i, c := range changes {
		if err := writeFile(c.name, c.new); err != nil {
			for _, done := range changes[:i] {
				restore := func() error { return writeFile(done.name, done.old) }
				if !existed[done.name] {
					restore = func() error { return os.Remove(done.name) } // a go.sum -fix created
				}
				if rerr := restore(); rerr != nil {
					err = fmt.Errorf("%w; and restoring %s failed: %w", err, relPath(done.name), rerr)
				}
			}
			return fmt.Errorf("%w: nothing written", err)
		}
	}
	for _, n := range notes {
		fmt.Fprintf(r.stderr, "resilvet: %s\n", n)
	}
	return nil
}

// printDiff prints every change as a unified diff, then reports as -fix
// would. It exits 1 if the diff is not empty, or findings remain.
func (r *fixRun) printDiff(out *outcome, stdout io.Writer) int {
	changes, notes := r.changes()
	for _, c := range changes {
		if _, err := io.WriteString(stdout, unifiedDiff(relPath(c.name)+" (old)", relPath(c.name)+" (new)", string(c.old), string(c.new))); err != nil {
			_, status := r.fail(err)
			return status
		}
	}
	for _, n := range notes {
		fmt.Fprintf(r.stderr, "resilvet: -fix would write %s\n", n)
	}
	status := r.summarise(out)
	if status == exitClean && (len(changes) > 0 || len(out.findings) > 0) {
		status = exitFindings
	}
	return status
}

// report says what -fix did and prints the findings left after it.
func (r *fixRun) report(out *outcome, stdout io.Writer) int {
	status := r.summarise(out)
	if err := printFindings(r.o, out, out.findings, stdout); err != nil {
		_, status := r.fail(err)
		return status
	}
	if status == exitClean && len(out.findings) > 0 {
		status = exitFindings
	}
	return status
}

// summarise prints, on stderr, what the rounds did and what they could not
// do, the same for -fix and -fix -diff, and returns exitError if the last
// analysis had errors.
func (r *fixRun) summarise(out *outcome) int {
	status := reportErrors(out, r.stderr)
	verb := "applied"
	if r.o.diff {
		verb = "would apply"
	}
	changes, _ := r.changes()
	files := 0
	for _, c := range changes {
		if strings.HasSuffix(c.name, ".go") {
			files++
		}
	}
	for _, l := range r.brokeLog {
		fmt.Fprintln(r.stderr, l)
	}
	for _, l := range r.refusals {
		fmt.Fprintln(r.stderr, l)
	}
	if r.applied > 0 {
		fmt.Fprintf(r.stderr, "resilvet: %s %s to %s in %s\n", verb,
			plural(r.applied, "fix", "fixes"), plural(files, "file", "files"), plural(r.rounds, "round", "rounds"))
	}
	r.src.see(out)
	cands, skips, readOnly, err := candidates(out.findings, r.src)
	if err != nil {
		_, status := r.fail(err)
		return status
	}
	left := 0
	for _, c := range cands {
		if !r.dropped[c.key()] && !slices.ContainsFunc(c.runtime, func(path string) bool { return !r.planOf(c.f).allows(path) }) {
			left++
		}
	}
	if left > 0 {
		fmt.Fprintf(r.stderr, "resilvet: %s not applied after %d rounds (they wait for others in the same code): run resilvet -fix again\n", plural(left, "fix", "fixes"), r.rounds)
	}
	for reason, n := range skips {
		if n == 0 {
			continue
		}
		line := fmt.Sprintf("resilvet: %s skipped: %s", plural(n, "fix", "fixes"), skipReasons[reason])
		if skip(reason) == skipReadOnly {
			names := make([]string, len(readOnly))
			for i, f := range readOnly {
				names[i] = relPath(f)
			}
			line += " (" + strings.Join(names, ", ") + ")"
		}
		fmt.Fprintln(r.stderr, line)
	}
	printSummary(r.o, out, out.findings, r.stderr)
	return status
}
