package driver

import (
	"errors"
	"fmt"
	"go/scanner"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

// maxFixRounds bounds -fix: fixes that conflict in one round, or edit a
// declaration another analyzer's fix edits, are applied in a later round,
// after re-analysis. Three rounds reach a fixed point on testdata/hazards
// (docs/decisions.md); five leave room for a function that three
// analyzers fix.
const maxFixRounds = 5

// runFix applies fixes, re-analyses and repeats until nothing applies or
// maxFixRounds rounds are done, all on an overlay of the files; then it
// writes the result (with -diff: prints it) and reports what is left. -fix
// and -fix -diff differ only in that last step.
func runFix(o *options, patterns []string, stdout, stderr io.Writer) int {
	env, err := readGoEnv()
	if err != nil {
		fmt.Fprintf(stderr, "resilvet: %v\n", err)
		return exitError
	}
	tmp, err := os.MkdirTemp("", "resilvet-fix-")
	if err != nil {
		fmt.Fprintf(stderr, "resilvet: %v\n", err)
		return exitError
	}
	defer os.RemoveAll(tmp)
	r := &fixRun{
		o:         o,
		patterns:  patterns,
		stderr:    stderr,
		env:       env,
		tmp:       tmp,
		overlay:   make(map[string][]byte),
		originals: make(map[string][]byte),
		modules:   make(map[string]string),
		plans:     make(map[string]*runtimePlan),
		dropped:   make(map[string]bool),
	}
	r.src = &fixFiles{r: r, canWrite: make(map[string]bool)}
	out, status := r.run()
	if out == nil {
		return status // an error, reported
	}
	if o.diff {
		return r.printDiff(out, stdout)
	}
	if err := r.write(); err != nil {
		fmt.Fprintf(stderr, "resilvet: %v\n", err)
		return exitError
	}
	return r.report(out, stdout)
}

// A fixRun is the state of one -fix: the rounds done and what they changed.
type fixRun struct {
	o        *options
	patterns []string
	stderr   io.Writer
	env      goEnvironment
	tmp      string // for the -modfile copies of go.mod
	src      *fixFiles

	overlay   map[string][]byte       // the current content of every changed file
	originals map[string][]byte       // content before the first change
	modules   map[string]string       // changed file → its go.mod, or ""
	plans     map[string]*runtimePlan // go.mod → how the runtime is required
	dropped   map[string]bool         // keys of the fixes rolled back
	brokeLog  []string                // one line per fix rolled back
	refusals  []string                // why runtime fixes were not applied, once each
	applied   int                     // fixes applied in all rounds
	rounds    int
}

// load loads the packages as the current overlay and runtime plan make them.
func (r *fixRun) load(overlay map[string][]byte) (*outcome, error) {
	lc := loadConfig{overlay: overlay}
	for _, gomod := range sortedKeys(r.plans) {
		if p := r.plans[gomod]; p.modfile != "" {
			lc.modfile = p.modfile // one main module outside a workspace: one plan
		}
	}
	return loadOnly(r.o, r.patterns, lc)
}

// run does the rounds and returns the last analysis, or nil and the exit
// status after an error it has reported.
func (r *fixRun) run() (*outcome, int) {
	out, err := r.load(r.overlay)
	if err != nil {
		return r.fail(err)
	}
	if len(out.loadErrs) > 0 {
		fmt.Fprintln(r.stderr, "resilvet: -fix changes nothing while packages do not build:")
		reportErrors(out, r.stderr)
		return nil, exitError
	}
	if err := analyzeLoaded(r.o, out); err != nil {
		return r.fail(err)
	}
	for r.rounds < maxFixRounds {
		if out.findings, err = r.baselined(out.findings); err != nil {
			return r.fail(err)
		}
		cands, err := r.candidates(&out)
		if err != nil {
			return r.fail(err)
		}
		chosen := selectFixes(cands, r.dropped)
		if len(chosen) == 0 {
			break // a fixed point
		}
		next, err := r.round(chosen)
		if err != nil {
			return r.fail(err)
		}
		if next == nil {
			continue // every fix of the round was rolled back; the others are tried again
		}
		out = next
	}
	if out.findings, err = r.baselined(out.findings); err != nil {
		return r.fail(err)
	}
	return out, exitClean
}

func (r *fixRun) baselined(findings []*finding) ([]*finding, error) {
	if r.o.baseline == "" {
		return findings, nil
	}
	return applyBaseline(r.o.baseline, findings)
}

// round applies chosen to the overlay and checks that the result loads and
// type-checks. If it does not, the files of the round are restored, the
// fixes that edit the files with errors are dropped and reported, and the
// others are applied again; if no fix edits those files, the whole round
// is dropped. It returns the analysis of the new overlay, or nil if every
// fix was dropped.
func (r *fixRun) round(chosen []*candidate) (*outcome, error) {
	for len(chosen) > 0 {
		changed, broken, err := applyFixes(chosen, r.src.read)
		if err != nil {
			return nil, err
		}
		var errs []loadError
		if len(broken) == 0 {
			next := make(map[string][]byte, len(r.overlay)+len(changed))
			for name, c := range r.overlay {
				next[name] = c
			}
			for name, ff := range changed {
				next[name] = ff.content
			}
			out, err := r.load(next)
			if err != nil {
				return nil, err
			}
			if len(out.loadErrs) == 0 {
				if err := analyzeLoaded(r.o, out); err != nil {
					return nil, err
				}
				for _, name := range sortedKeys(changed) {
					if _, ok := r.originals[name]; !ok {
						prev, err := r.src.read(name)
						if err != nil {
							return nil, err
						}
						r.originals[name] = prev
					}
					r.modules[name] = moduleOf(changed[name].fixes[0].f)
				}
				r.overlay = next
				r.rounds++
				r.applied += len(chosen)
				return out, nil
			}
			errs = out.loadErrs
		}
		for _, name := range sortedKeys(broken) {
			e := loadError{file: name, msg: broken[name].err.Error()}
			var list scanner.ErrorList
			if errors.As(broken[name].err, &list) && len(list) > 0 {
				e.line, e.col = list[0].Pos.Line, list[0].Pos.Column
				e.msg = list[0].Msg
			}
			errs = append(errs, e)
		}
		chosen = r.rollBack(chosen, errs, changed, broken)
	}
	return nil, nil
}

// rollBack drops the fixes of chosen that wrote a line with one of errs,
// reports each with its first error, and returns the others, to be applied
// again. Where no fix wrote an erring line of a file the fixes edit, they
// all drop: which one is at fault cannot be told; where the errors are in
// files no fix edits, the round's fixes together caused them, and all drop.
func (r *fixRun) rollBack(chosen []*candidate, errs []loadError, changed map[string]*fixedFile, broken map[string]*brokenFile) []*candidate {
	cause := make(map[*candidate]loadError)
	blame := func(c *candidate, e loadError) {
		if _, ok := cause[c]; !ok {
			cause[c] = e
		}
	}
	unowned := make(map[string][]loadError) // file → its errors no fix wrote
	for _, e := range errs {
		var owners []*candidate
		switch {
		case broken[e.file] != nil:
			owners = broken[e.file].owners(e.line)
		case changed[e.file] != nil:
			owners = changed[e.file].owners(e.line)
		default:
			continue // a file no fix edits: see below
		}
		if len(owners) == 0 {
			unowned[e.file] = append(unowned[e.file], e)
			continue
		}
		for _, c := range owners {
			blame(c, e)
		}
	}
	for _, name := range sortedKeys(unowned) {
		if slices.ContainsFunc(chosen, func(c *candidate) bool { _, blamed := cause[c]; return blamed && slices.Contains(c.files(), name) }) {
			continue // a fix that wrote an erring line of this file is at fault already
		}
		for _, c := range chosen {
			if slices.Contains(c.files(), name) {
				blame(c, unowned[name][0])
			}
		}
	}
	if len(cause) == 0 {
		for _, c := range chosen {
			blame(c, errs[0])
		}
	}
	var keep []*candidate
	for _, c := range chosen {
		e, bad := cause[c]
		if !bad {
			keep = append(keep, c)
			continue
		}
		r.dropped[c.key()] = true
		r.brokeLog = append(r.brokeLog, fmt.Sprintf("%s:%d:%d: fix not applied: with it the code does not build (please report it): %s (%s): %s",
			relPath(c.f.posn.Filename), c.f.posn.Line, c.f.posn.Column, c.f.diag.Message, c.f.category(), e))
	}
	return keep
}

// candidates returns the fixes of out's findings that may be applied. Fixes
// that import the runtime are kept only where the runtime requirement can
// be met (see planRuntime); where it cannot be met anywhere, the packages
// are analysed again with the runtime fixes off, so that the analyzers
// offer what they offer without them.
func (r *fixRun) candidates(out **outcome) ([]*candidate, error) {
	r.src.see(*out)
	cands, _, _, err := candidates((*out).findings, r.src)
	if err != nil {
		return nil, err
	}
	refused, allowed := 0, 0
	var kept []*candidate
	for _, c := range cands {
		if len(c.runtime) == 0 {
			kept = append(kept, c)
			continue
		}
		p := r.plan(c.f)
		if !slices.ContainsFunc(c.runtime, func(path string) bool { return !p.allows(path) }) {
			allowed++
			kept = append(kept, c)
			continue
		}
		refused++
		reason := p.refused
		if reason == "" {
			reason = "the module vendors its dependencies and vendor/modules.txt lacks the runtime packages they import: -fix does not run go mod vendor: go get " + match.RuntimePath + "@VERSION && go mod vendor, then run -fix again"
		}
		if msg := fmt.Sprintf("resilvet: runtime fixes not applied (the standard-library fixes are): %s", reason); !slices.Contains(r.refusals, msg) {
			r.refusals = append(r.refusals, msg)
		}
	}
	if refused > 0 && allowed == 0 && len(r.o.autoRuntime) > 0 {
		for _, a := range r.o.autoRuntime {
			setRuntimeFixes(a, false)
		}
		r.o.autoRuntime = nil
		next, err := r.load(r.overlay)
		if err == nil && len(next.loadErrs) > 0 {
			err = fmt.Errorf("internal error: the packages stopped building: %s", next.loadErrs[0])
		}
		if err == nil {
			err = analyzeLoaded(r.o, next)
		}
		if err != nil {
			return nil, err
		}
		if next.findings, err = r.baselined(next.findings); err != nil {
			return nil, err
		}
		*out = next
		r.src.see(next)
		cands, _, _, err = candidates(next.findings, r.src)
		return cands, err
	}
	return kept, nil
}

// moduleOf returns the go.mod of f's module, or "". It is the file in the
// module's directory: with -modfile, Module.GoMod names the copy.
func moduleOf(f *finding) string {
	if m := f.pkg.Module; m != nil && m.Dir != "" {
		return filepath.Join(m.Dir, "go.mod")
	}
	return ""
}

// planOf returns the runtime plan of f's module if it was decided, else a
// refusal that decides nothing.
func (r *fixRun) planOf(f *finding) *runtimePlan {
	if p, ok := r.plans[moduleOf(f)]; ok {
		return p
	}
	return &runtimePlan{refused: "undecided"}
}

// plan returns the runtime plan of f's module, deciding it the first time.
func (r *fixRun) plan(f *finding) *runtimePlan {
	gomod := moduleOf(f)
	if p, ok := r.plans[gomod]; ok {
		return p
	}
	dir, err := os.MkdirTemp(r.tmp, "mod-")
	p := &runtimePlan{gomod: gomod}
	if err != nil {
		p.refused = err.Error()
	} else {
		p = r.planRuntime(gomod, dir)
	}
	r.plans[gomod] = p
	return p
}

// fail reports err and returns the error status.
func (r *fixRun) fail(err error) (*outcome, int) {
	fmt.Fprintf(r.stderr, "resilvet: %v\n", err)
	return nil, exitError
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

// generatedFiles returns the generated files of out's packages, by name.
func generatedFiles(out *outcome) map[string]bool {
	gen := make(map[string]bool)
	for _, p := range out.roots {
		for _, f := range p.Syntax {
			if lint.IsGenerated(f, p.Fset) {
				gen[p.Fset.File(f.FileStart).Name()] = true
			}
		}
	}
	return gen
}
