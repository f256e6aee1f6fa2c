package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// checkProgram runs p's original and, when it offers fixes (or survey is
// nil, which means "look"), the fix checks. Its scratch files are under
// work/<dir>; the fixes' diff stays there as fix.diff.
func (r *runner) checkProgram(p *program, survey *surveyResult, runOriginals bool) *result {
	res := &result{Name: p.Name}
	base := filepath.Join(r.work, p.dirName())
	dir, bin := filepath.Join(base, "src"), filepath.Join(base, "bin")
	defer os.RemoveAll(bin) // executables are large; the diff is kept beside
	if err := r.prepare(p, dir); err != nil {
		res.Skipped = err.Error()
		return res
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		res.Skipped = err.Error()
		return res
	}
	needFix := survey == nil || survey.Fixable > 0
	if survey != nil {
		res.Findings, res.Surveyed = survey.Findings, survey.Fixable == 0
	}
	if runOriginals || needFix {
		// -race only where a fix is checked against it: it is the
		// slowest part, and the corpus's counts do not need it.
		res.Orig = r.original(p, dir, bin, needFix)
	}
	if !needFix {
		return res
	}
	n, offers, err := r.lint(p, dir, r.lintFlags)
	res.Findings, res.Offers, res.Surveyed = n, offers, false
	if err != nil {
		res.Failures = append(res.Failures, failure{Check: "fix", Detail: err.Error()})
		return res
	}
	if len(offers) == 0 {
		return res // the survey counted one that is not offered alone: no fix to check
	}
	if !res.Orig.Build.ok() {
		res.Skipped = "the original does not build: " + firstLines(res.Orig.Build.Output, 3)
		return res
	}
	applied, changed, fails := r.fixAndCheck(p, dir, bin, res.Orig, r.lintFlags)
	res.Applied, res.Changed, res.Failures = applied, changed, fails
	if diff, err := os.ReadFile(filepath.Join(bin, "fix.diff")); err == nil {
		_ = os.WriteFile(filepath.Join(base, "fix.diff"), diff, 0o644)
	}
	if len(fails) > 0 {
		r.blame(p, res)
	}
	return res
}

// original returns what p's original did: with -resume, as an earlier run
// with the same toolchain and timeout saw it (the originals do not depend
// on resilvet or its flags), else by running it.
func (r *runner) original(p *program, dir, bin string, race bool) *original {
	path := filepath.Join(r.work, "..", "originals", p.dirName()+".json")
	key := func(race bool) string { return fmt.Sprintf("%s %s race=%v", r.toolchain, r.timeout, race) }
	if r.resume {
		var saved struct {
			Key  string
			Orig *original
		}
		if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &saved) == nil && saved.Orig != nil &&
			(saved.Key == key(race) || !race && saved.Key == key(true)) {
			return saved.Orig
		}
	}
	o := r.runOriginal(p, dir, bin, race)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
		if data, err := json.Marshal(struct {
			Key  string
			Orig *original
		}{key(race), o}); err == nil {
			_ = os.WriteFile(path, data, 0o644)
		}
	}
	return o
}

// blame finds, for each failure of res, the rules whose fixes alone
// reproduce it: each rule's fixes are applied on a fresh copy, with only
// that rule on. It also finds the rules whose fixes -fix's later rounds
// applied (findings the first round's fixes made, such as no-shutdown's
// after untracked's task.Go): those left offering a fix on each copy.
func (r *runner) blame(p *program, res *result) {
	first := res.rules()
	for _, rule := range first {
		analyzer, name, _ := strings.Cut(rule, "/")
		flags := []string{"-" + analyzer + "=true", "-" + analyzer + ".rules=-all,+" + name, "-runtimefixes"}
		if containsFlag(r.lintFlags, "-strict") {
			flags = append(flags, "-strict")
		}
		base := filepath.Join(r.work, p.dirName(), "only-"+strings.ReplaceAll(rule, "/", "-"))
		dir, bin := filepath.Join(base, "src"), filepath.Join(base, "bin")
		if r.prepare(p, dir) != nil || os.MkdirAll(bin, 0o755) != nil {
			continue // cannot tell
		}
		_, _, fails := r.fixAndCheck(p, dir, bin, res.Orig, flags)
		os.RemoveAll(bin)
		for i := range res.Failures {
			for _, f := range fails {
				if f.Check == res.Failures[i].Check {
					res.Failures[i].Rules = append(res.Failures[i].Rules, rule)
					break
				}
			}
		}
		if _, left, err := r.lint(p, dir, r.lintFlags); err == nil {
			for _, o := range left {
				if !slices.Contains(first, o.Category) && !slices.Contains(res.Later, o.Category) {
					res.Later = append(res.Later, o.Category)
				}
			}
		}
	}
	slices.Sort(res.Later)
}

func containsFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

// A surveyResult is what one resilvet -json run over every program found
// for one of them.
type surveyResult struct {
	Findings, Fixable int
}

// survey runs resilvet -json once over every program that builds with
// the default settings (no recipe flags, environment or go line of its
// own), each a package of one scratch module, and returns per program
// what it found. Programs it cannot judge (load errors, analyzer errors)
// and those it does not take are absent: they are linted on their own.
func (r *runner) survey(progs []*program, goLine string) (map[string]*surveyResult, error) {
	dir := filepath.Join(r.work, "survey")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	byPkg := make(map[string]*program)
	for _, p := range progs {
		if len(p.Flags) > 0 || len(p.Env) > 0 || p.GoLine != goLine {
			continue // built its own way: linted on its own
		}
		pdir := filepath.Join(dir, p.dirName())
		if err := r.prepare(p, pdir); err != nil {
			return nil, err
		}
		// One module for all: the program directories are its packages.
		os.Remove(filepath.Join(pdir, "go.mod"))
		os.Remove(filepath.Join(pdir, "go.sum"))
		byPkg["gotest/"+p.dirName()] = p
	}
	gomod := fmt.Sprintf("module gotest\n\ngo %s\n\nrequire %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n",
		goLine, runtimePath, runtimePath, filepath.ToSlash(r.runtimeDir))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), r.goSum, 0o644); err != nil {
		return nil, err
	}
	stdout, res := commandStdout(dir, nil, 2*buildTimeout, r.resilvet, append(append([]string{"-json"}, r.lintFlags...), "./...")...)
	if res.TimedOut || res.Exit < 0 {
		return nil, fmt.Errorf("survey: resilvet -json ./... did not finish: %s", firstLines(res.Output, 5))
	}
	tree, err := parseTree(stdout)
	out := make(map[string]*surveyResult)
	for path := range byPkg {
		out[path] = &surveyResult{}
	}
	if err != nil {
		// Analyzer errors: the programs they name are linted on their own.
		for path := range tree {
			if strings.Contains(err.Error(), path+": ") {
				delete(out, path)
			}
		}
	}
	for path, analyzers := range tree {
		s := out[path]
		if s == nil {
			continue // an error, or not a program
		}
		for _, ds := range analyzers {
			for _, d := range ds {
				s.Findings++
				if len(d.Fixes) > 0 {
					s.Fixable++
				}
			}
		}
	}
	// Load errors (on standard error) name the program's directory: judge
	// it on its own.
	for _, line := range strings.Split(res.Output, "\n") {
		if d, _, ok := strings.Cut(strings.TrimPrefix(line, "./"), "/"); ok {
			delete(out, "gotest/"+d)
		}
	}
	byName := make(map[string]*surveyResult)
	for path, s := range out {
		byName[byPkg[path].Name] = s
	}
	return byName, nil
}
