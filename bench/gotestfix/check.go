package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// runtimePath is the runtime module the fixes import.
const runtimePath = "github.com/resilvet/resilvet/runtime"

// A runner holds what the checks of every program share.
type runner struct {
	goroot     string   // $GOROOT: the programs are under its test directory
	resilvet   string   // the binary under test
	lintFlags  []string // every rule on, -runtimefixes, -strict if asked
	work       string   // scratch tree
	runtimeDir string   // the repository's runtime module
	goSum      []byte   // its go.sum, so that the copies need no network
	timeout    time.Duration
	toolchain  string // go version and GOROOT, which the originals' results depend on
	resume     bool   // reuse earlier results
}

// An original is what the unfixed program did.
type original struct {
	Build      run
	Vet        []string // go vet's diagnostics, positions dropped
	Run        run
	Matches    bool // Run exited 0 with the expected output
	RaceBuild  *run // nil: not built with -race
	Race       *run // nil: not run with -race
	RaceReport bool // the race detector reported
}

// raceClean reports whether the program built and ran with -race without
// a report: then the fixed program must too.
func (o *original) raceClean() bool {
	return o.RaceBuild != nil && o.RaceBuild.ok() && o.Race != nil && !o.Race.TimedOut && !o.RaceReport
}

// An offer is a finding with a suggested fix, as the first lint saw it.
type offer struct {
	Category string
	Line     int
	Message  string
	Fix      string
}

// A failure is one check the fixed program did not pass.
type failure struct {
	Check  string // fix, build, vet, output, race, idempotence
	Detail string
	// Rules are the rules of the first round whose fixes alone reproduce
	// the failure; a failure none reproduces comes from fixes combined
	// (the later rounds' among them).
	Rules []string
}

// A result is what the checks found for one program.
type result struct {
	Name     string
	Orig     *original `json:",omitempty"` // nil: not run (-originals=false and no fix)
	Findings int
	Offers   []offer
	Surveyed bool   `json:",omitempty"` // findings counted by the survey; no fix offered
	Skipped  string `json:",omitempty"` // why the fixes were not checked
	Applied  int
	Changed  []string `json:",omitempty"` // files the first -fix wrote
	Failures []failure
	// Later are the rules whose fixes -fix's later rounds applied: found
	// only when a check failed, on the copies blame makes.
	Later []string `json:",omitempty"`
}

// rules returns the distinct rules of r's offers.
func (r *result) rules() []string {
	var rules []string
	for _, o := range r.Offers {
		if !slices.Contains(rules, o.Category) {
			rules = append(rules, o.Category)
		}
	}
	slices.Sort(rules)
	return rules
}

// prepare makes dir a scratch module holding p's files, requiring the
// local runtime module as bench/fixsafety.sh does.
func (r *runner) prepare(p *program, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	srcDir := filepath.Dir(filepath.Join(r.goroot, "test", filepath.FromSlash(p.Name)))
	for _, name := range append([]string{filepath.Base(p.Name)}, p.ExtraFiles...) {
		data, err := os.ReadFile(filepath.Join(srcDir, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	gomod := fmt.Sprintf("module gotest\n\ngo %s\n\nrequire %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n",
		p.GoLine, runtimePath, runtimePath, filepath.ToSlash(r.runtimeDir))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "go.sum"), r.goSum, 0o644)
}

const buildTimeout = 5 * time.Minute

// build builds the program in dir into exe, with -race if race.
func (r *runner) build(p *program, dir, exe string, race bool) run {
	args := append([]string{"build", "-o", exe}, p.Flags...)
	if race && !p.race() {
		args = append(args, "-race")
	}
	return command(dir, p.Env, buildTimeout, "go", append(args, ".")...)
}

// execute runs the built program.
func (r *runner) execute(p *program, exe string, race bool) run {
	t := r.timeout
	if d := time.Duration(p.Timeout) * time.Second; d > t {
		t = d
	}
	if race {
		t *= 3 // the race detector's cost
	}
	return command(filepath.Dir(exe), p.Env, t, exe, p.Args...)
}

// tagFlags returns the -tags flags of p, which go vet and resilvet need
// too.
func tagFlags(p *program) []string {
	var tags []string
	for _, f := range p.Flags {
		if strings.HasPrefix(f, "-tags=") {
			tags = append(tags, f)
		}
	}
	return tags
}

// expected returns the output the program must print.
func expected(p *program) string {
	if p.Expected == nil {
		return "" // no .out file: the output must be empty
	}
	return *p.Expected
}

// runOriginal builds, vets and runs the unfixed program in dir, and with
// race, builds and runs it with -race too.
func (r *runner) runOriginal(p *program, dir, bin string, race bool) *original {
	o := &original{}
	exe := filepath.Join(bin, "orig")
	o.Build = r.build(p, dir, exe, false)
	vet := command(dir, p.Env, buildTimeout, "go", append(append([]string{"vet"}, tagFlags(p)...), ".")...)
	o.Vet = vetKeys(vet.Output)
	if !o.Build.ok() {
		return o
	}
	o.Run = r.execute(p, exe, p.race())
	o.Matches = o.Run.ok() && o.Run.Output == expected(p)
	if p.race() {
		o.RaceReport = strings.Contains(o.Run.Output, "WARNING: DATA RACE")
	}
	switch {
	case p.race():
		o.RaceBuild, o.Race = &o.Build, &o.Run
	case race:
		b := r.build(p, dir, exe+".race", true)
		o.RaceBuild = &b
		if b.ok() {
			run := r.execute(p, exe+".race", true)
			o.Race = &run
			o.RaceReport = strings.Contains(run.Output, "WARNING: DATA RACE")
		}
	}
	return o
}

// lint runs resilvet -json on dir and returns the number of findings and
// those that offer a fix.
func (r *runner) lint(p *program, dir string, flags []string) (int, []offer, error) {
	args := append(append([]string{"-json"}, flags...), tagFlags(p)...)
	stdout, res := commandStdout(dir, p.Env, buildTimeout, r.resilvet, append(args, ".")...)
	if res.Exit > 1 || res.TimedOut {
		return 0, nil, fmt.Errorf("resilvet -json exited %d: %s", res.Exit, firstLines(res.Output, 10))
	}
	tree, err := parseTree(stdout)
	if err != nil {
		return 0, nil, err
	}
	n := 0
	var offers []offer
	for _, pkg := range tree {
		for _, ds := range pkg {
			for _, d := range ds {
				n++
				if len(d.Fixes) == 0 {
					continue // nothing to apply
				}
				line := 0
				if i := strings.LastIndex(d.Posn, ":"); i > 0 {
					if j := strings.LastIndex(d.Posn[:i], ":"); j > 0 {
						line, _ = strconv.Atoi(d.Posn[j+1 : i])
					}
				}
				offers = append(offers, offer{d.Category, line, d.Message, d.Fixes[0].Message})
			}
		}
	}
	slices.SortFunc(offers, func(a, b offer) int { return a.Line - b.Line })
	return n, offers, nil
}

// A diagnostic is one entry of go vet -json's tree.
type diagnostic struct {
	Category string `json:"category"`
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Fixes    []struct {
		Message string `json:"message"`
	} `json:"suggested_fixes"`
}

// parseTree parses go vet -json's tree (package → analyzer → diagnostics
// or {"error": …}). The error entries are returned as an error.
func parseTree(stdout string) (map[string]map[string][]diagnostic, error) {
	if strings.TrimSpace(stdout) == "" {
		return nil, nil // no findings: -json prints nothing
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		return nil, fmt.Errorf("resilvet -json: %w", err)
	}
	tree := make(map[string]map[string][]diagnostic)
	var errs []string
	for pkg, analyzers := range raw {
		tree[pkg] = make(map[string][]diagnostic)
		for a, msg := range analyzers {
			var ds []diagnostic
			if err := json.Unmarshal(msg, &ds); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %s: %s", pkg, a, msg))
				continue
			}
			tree[pkg][a] = ds
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return tree, fmt.Errorf("analyzer errors: %s", strings.Join(errs, "; "))
	}
	return tree, nil
}

var appliedRE = regexp.MustCompile(`applied ([0-9]+) fix(?:es)? to`)

// fixAndCheck runs resilvet -fix with flags on the copy in dir and checks
// the result against the original: it builds, go vet adds nothing, it
// prints what it must, it is race-clean where the original was, and a
// second -fix changes nothing. It returns the fixes applied, the files
// changed and the failures.
func (r *runner) fixAndCheck(p *program, dir, bin string, orig *original, flags []string) (int, []string, []failure) {
	var fails []failure
	fail := func(check, format string, args ...any) {
		fails = append(fails, failure{Check: check, Detail: fmt.Sprintf(format, args...)})
	}
	fixCmd := append(append(append([]string{"-fix"}, flags...), tagFlags(p)...), ".")
	before, err := snapshot(dir)
	if err != nil {
		fail("fix", "%v", err)
		return 0, nil, fails
	}
	fix1 := command(dir, p.Env, buildTimeout, r.resilvet, fixCmd...)
	if fix1.Exit > 1 || fix1.TimedOut {
		fail("fix", "resilvet -fix exited %d: %s", fix1.Exit, firstLines(fix1.Output, 12))
	}
	applied := 0
	if m := appliedRE.FindStringSubmatch(fix1.Output); m != nil {
		applied, _ = strconv.Atoi(m[1])
	}
	after, err := snapshot(dir)
	if err != nil {
		fail("fix", "%v", err)
		return applied, nil, fails
	}
	changed := changedFiles(before, after)
	if len(changed) > 0 {
		writeDiff(dir, bin, before, changed)
	}

	exe := filepath.Join(bin, "fixed")
	build := r.build(p, dir, exe, false)
	if !build.ok() {
		fail("build", "%s", firstLines(build.Output, 12))
	}
	vet := command(dir, p.Env, buildTimeout, "go", append(append([]string{"vet"}, tagFlags(p)...), ".")...)
	if extra := added(orig.Vet, vetKeys(vet.Output)); len(extra) > 0 {
		fail("vet", "%s", strings.Join(extra, "\n"))
	}
	if build.ok() && !orig.Run.TimedOut {
		got := r.execute(p, exe, p.race())
		want := orig.Run
		if orig.Matches {
			want = run{Output: expected(p)}
		}
		if got.Output != want.Output || got.Exit != want.Exit || got.TimedOut {
			fail("output", "%s", outputDiff(want, got))
		}
		if orig.raceClean() {
			race, raceBuild := got, build
			if !p.race() {
				raceBuild = r.build(p, dir, exe+".race", true)
				if raceBuild.ok() {
					race = r.execute(p, exe+".race", true)
				}
			}
			switch {
			case !raceBuild.ok():
				fail("race", "does not build with -race: %s", firstLines(raceBuild.Output, 8))
			case strings.Contains(race.Output, "WARNING: DATA RACE"):
				i := strings.Index(race.Output, "WARNING: DATA RACE")
				fail("race", "%s", firstLines(race.Output[i:], 16))
			}
		}
	}

	// What building and vetting changed (go.sum) is not the second -fix's.
	settled, err := snapshot(dir)
	if err != nil {
		fail("idempotence", "%v", err)
		return applied, changed, fails
	}
	fix2 := command(dir, p.Env, buildTimeout, r.resilvet, fixCmd...)
	again, err := snapshot(dir)
	if err != nil {
		fail("idempotence", "%v", err)
		return applied, changed, fails
	}
	if names := changedFiles(settled, again); len(names) > 0 {
		fail("idempotence", "a second -fix changed %s: %s", strings.Join(names, ", "), firstLines(fix2.Output, 6))
	}
	return applied, changed, fails
}

// outputDiff describes how got differs from want: exit status and the
// first differing line.
func outputDiff(want, got run) string {
	var b strings.Builder
	if got.TimedOut {
		b.WriteString("timed out; ")
	}
	if got.Exit != want.Exit {
		fmt.Fprintf(&b, "exit status %d, want %d; ", got.Exit, want.Exit)
	}
	wl, gl := strings.Split(want.Output, "\n"), strings.Split(got.Output, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d: got %q, want %q", i+1, g, w)
			break
		}
	}
	return b.String()
}

// writeDiff writes the fix's change of each file as a unified diff into
// bin/fix.diff, for the report's reader: before holds the files' contents
// before the fix, and the fixed files are read from dir.
func writeDiff(dir, bin string, before map[string]string, changed []string) {
	var b strings.Builder
	for _, name := range changed {
		old := filepath.Join(bin, "old-"+filepath.Base(name))
		_ = os.WriteFile(old, []byte(before[name]), 0o644)
		out, _ := exec.Command("diff", "-u", "--label", name+" (old)", "--label", name+" (fixed)", old, filepath.Join(dir, name)).Output()
		b.Write(out)
		_ = os.Remove(old)
	}
	_ = os.WriteFile(filepath.Join(bin, "fix.diff"), []byte(b.String()), 0o644)
}
