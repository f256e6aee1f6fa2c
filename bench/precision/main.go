// Command precision runs every analyzer of resilvet.Suite, with every rule
// switched on, over the Go standard library, each module that bench/corpus
// pins and each program that bench/programs pins, and writes what is needed
// to measure precision:
//
//   - the findings of each rule, and their rate per 100,000 lines of the
//     analysed packages (non-test, non-generated .go files), in all and
//     separately for programs and libraries (every target is of one
//     class: see classes.go);
//   - per rule and per class, the findings to judge: all of them if there
//     are at most 30, else a random sample of 30 drawn with a fixed seed,
//     each with its file:line, source line and message, and empty verdict
//     columns for the rule's owner to fill in docs/precision.md;
//   - robustness: any panic, analyzer error or load error, per target.
//
// Usage, from the repository root:
//
//	go run ./bench/precision [-quick] [-strict] [-seed N] [-samples RULE=N,...] [-out DIR] [-doc] [targets...]
//
// Targets are "std", module paths from the direct requirements of
// bench/corpus/go.mod or bench/programs/go.mod, and "corpus" or "programs"
// for all the modules of one of them (default: std and both corpora). With
// -doc it writes the sections "## Summary (all rules)", "## Summary by
// class" and "## Robustness" of docs/precision.md. With -strict it runs
// the strict profile (resilvet -strict), whose report stays in -out. See
// bench/README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/bench/internal/mdsection"
)

func main() {
	var (
		quick  = flag.Bool("quick", false, "std's go/... and two small corpus modules only")
		seed   = flag.Uint64("seed", 1, "seed of the samples")
		size   = flag.Int("sample", 30, "sample size per rule")
		out    = flag.String("out", filepath.Join(os.TempDir(), "resilvet-precision"), "output `dir`")
		doc    = flag.Bool("doc", false, "write the summary and robustness sections of docs/precision.md")
		corpus = flag.String("corpus", "bench/corpus", "the corpus module's `dir`")
		progs  = flag.String("programs", "bench/programs", "the programs corpus module's `dir` (\"\": none)")
		sizes  = flag.String("samples", "", "sample sizes of single rules, as `rule[:class]=N,...` (default: -sample)")
		bin    = flag.String("resilvet", "", "resilvet `binary` to run (default: build ./cmd/resilvet)")
		list   = flag.Bool("list", false, "print the packages of the named corpus modules (default: bench/corpus's) as path@version, for go get, and exit")
		rules  = flag.Bool("allrules", false, "print the flags that switch every rule of the suite on, and exit")
		strict = flag.Bool("strict", false, "run resilvet in the strict profile (-strict): what a team adopting the post-mortem's policy signs up for")
	)
	flag.Parse()
	if *rules {
		fmt.Println(strings.Join(allRulesFlags()[1:], " ")) // without -runtimefixes
		return
	}
	dirs := corpora{corpus: *corpus, programs: *progs}
	if *list {
		if err := listPackages(dirs, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "precision:", err)
			os.Exit(1)
		}
		return
	}
	perRule, err := parseSizes(*sizes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "precision:", err)
		os.Exit(2)
	}
	if *strict && *doc {
		fmt.Fprintln(os.Stderr, "precision: -doc writes the default profile's sections; -strict's report stays in -out")
		os.Exit(2)
	}
	if err := run(*quick, *seed, sampling{size: *size, perRule: perRule}, *out, *doc, dirs, *bin, *strict, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "precision:", err)
		os.Exit(1)
	}
}

func run(quick bool, seed uint64, size sampling, out string, doc bool, dirs corpora, bin string, strict bool, args []string) error {
	dirs, err := dirs.abs()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o777); err != nil {
		return err
	}
	if bin == "" {
		bin = filepath.Join(out, "resilvet")
		build := exec.Command("go", "build", "-o", bin, "./cmd/resilvet")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building resilvet: %w", err)
		}
	}
	targets, err := selectTargets(dirs, quick, args)
	if err != nil {
		return err
	}
	envs := make(map[string]*runEnv) // by corpus directory
	for _, t := range targets {
		if envs[t.dir] == nil {
			envs[t.dir] = &runEnv{bin: bin, dir: t.dir, flags: allRulesFlags()}
			if strict {
				envs[t.dir].flags = append(envs[t.dir].flags, "-strict")
			}
			if err := envs[t.dir].init(); err != nil {
				return err
			}
		}
	}

	var results []*targetResult
	for _, t := range targets {
		start := time.Now()
		fmt.Fprintf(os.Stderr, "precision: %s ...", t.name)
		r := envs[t.dir].analyse(t)
		fmt.Fprintf(os.Stderr, " %d findings, %d packages, %d lines, %.0fs%s\n",
			len(r.findings), r.packages, r.lines.handwritten, time.Since(start).Seconds(), r.problemSummary())
		results = append(results, r)
	}

	rep := newReport(results, seed, size, envs[targets[0].dir])
	files := map[string]string{
		"report.md":     rep.markdown(),
		"findings.txt":  rep.allFindings(),
		"robustness.md": rep.robustness(),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(out, name), []byte(text), 0o666); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "precision: wrote %s/{report.md,findings.txt,robustness.md}\n", out)
	fmt.Print(rep.summary())
	if doc {
		const file = "docs/precision.md"
		for _, s := range []struct{ heading, body string }{
			{"## Summary (all rules)", rep.summary()},
			{"## Summary by class", rep.classSummary()},
			{"## Robustness", rep.robustness()},
		} {
			if err := mdsection.ReplaceFile(file, "# Precision", s.heading, s.body); err != nil {
				return err
			}
		}
		fmt.Fprintf(os.Stderr, "precision: wrote the summary, class summary and robustness sections of %s\n", file)
	}
	return nil
}

// listPackages prints the packages of the named corpus modules (default:
// bench/corpus's) as path@version: go get, run in their corpus, needs them
// all to complete its go.sum (see bench/README.md).
func listPackages(dirs corpora, args []string) error {
	dirs, err := dirs.abs()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"corpus"}
	}
	targets, err := selectTargets(dirs, false, args)
	if err != nil {
		return err
	}
	envs := make(map[string]*runEnv)
	for _, t := range targets {
		if t.version == "" {
			continue // std needs no go.sum
		}
		if envs[t.dir] == nil {
			envs[t.dir] = &runEnv{dir: t.dir}
			if err := envs[t.dir].init(); err != nil {
				return err
			}
		}
		pkgs, _, err := envs[t.dir].packages(t)
		if err != nil {
			return err
		}
		for _, p := range pkgs {
			fmt.Printf("%s@%s\n", p, t.version)
		}
	}
	return nil
}

// allRulesFlags switches every rule of every analyzer on, off-by-default
// rules included, so that their precision is measured too, and shows the
// fixes that import the runtime module (as -fix offers them), so that the
// fixes can be counted.
func allRulesFlags() []string {
	flags := []string{"-runtimefixes"}
	for _, a := range resilvet.Suite {
		flags = append(flags, "-"+a.Name+".rules=+all")
	}
	return flags
}

// A target is one resilvet run: the standard library or one corpus module.
type target struct {
	name     string   // "std" or a module path
	version  string   // the module's version, "" for std
	patterns []string // package patterns
	dir      string   // the corpus module resilvet runs in
	corpus   string   // its name: "corpus" (bench/corpus, std's too) or "programs"
	class    string   // classProgram or classLibrary
	kind     string   // what the module is: "library", "server", …
}

// corpora are the directories of the two corpus modules.
type corpora struct {
	corpus   string // bench/corpus: libraries, and a few programs
	programs string // bench/programs: programs only; "" for none
}

func (c corpora) abs() (corpora, error) {
	var err error
	if c.corpus, err = filepath.Abs(c.corpus); err != nil || c.programs == "" {
		return c, err
	}
	c.programs, err = filepath.Abs(c.programs)
	return c, err
}

// selectTargets returns std and the corpus modules named by args (default:
// std and all direct requirements of both corpus modules, in that order).
// "corpus" and "programs" name all the modules of one corpus.
func selectTargets(dirs corpora, quick bool, args []string) ([]target, error) {
	mods, err := corpusModules(dirs.corpus, false)
	if err != nil {
		return nil, err
	}
	progs := make(map[string]target)
	if dirs.programs != "" {
		if progs, err = corpusModules(dirs.programs, true); err != nil {
			return nil, err
		}
	}
	for path := range progs {
		if _, ok := mods[path]; ok {
			return nil, fmt.Errorf("%s is pinned by both %s and %s: a module belongs to one corpus", path, dirs.corpus, dirs.programs)
		}
	}
	std := target{name: "std", patterns: []string{"std"}, dir: dirs.corpus, corpus: "corpus", class: classLibrary, kind: "library"}
	if quick && len(args) == 0 {
		std.patterns = []string{"go/..."}
		targets := []target{std, mods["github.com/hashicorp/raft"], mods["github.com/sony/gobreaker/v2"]}
		if t, ok := progs["github.com/Shopify/toxiproxy/v2"]; ok {
			targets = append(targets, t) // a small program, so that both classes are measured
		}
		return targets, nil
	}
	if len(args) == 0 {
		args = []string{"std", "corpus"}
		if dirs.programs != "" {
			args = append(args, "programs")
		}
	}
	var targets []target
	for _, a := range args {
		t, inCorpus := mods[a]
		p, inPrograms := progs[a]
		switch {
		case a == "std":
			targets = append(targets, std)
		case a == "corpus":
			for _, path := range sortedKeys(mods) {
				targets = append(targets, mods[path])
			}
		case a == "programs" && dirs.programs != "":
			for _, path := range sortedKeys(progs) {
				targets = append(targets, progs[path])
			}
		case inCorpus:
			targets = append(targets, t)
		case inPrograms:
			targets = append(targets, p)
		default:
			return nil, fmt.Errorf("%s is neither std nor a direct requirement of %s/go.mod or %s/go.mod", a, dirs.corpus, dirs.programs)
		}
	}
	return targets, nil
}

// corpusModules returns the direct requirements of the corpus module in
// dir as classified targets.
func corpusModules(dir string, programs bool) (map[string]target, error) {
	cmd := exec.Command("go", "mod", "edit", "-json")
	cmd.Dir = dir
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod edit -json in %s: %w", dir, err)
	}
	mods, err := directRequirements(data)
	if err != nil {
		return nil, err
	}
	for path, t := range mods {
		t.dir, t.corpus = dir, "corpus"
		if programs {
			t.corpus = "programs"
		}
		classify(&t, programs)
		mods[path] = t
	}
	return mods, nil
}

// sampling is how many findings of a rule to judge, per class.
type sampling struct {
	size    int            // default
	perRule map[string]int // by rule, from -samples
}

func (s sampling) of(rule string) int {
	if n, ok := s.perRule[rule]; ok {
		return n
	}
	return s.size
}

// parseSizes parses -samples: "fireforget/untracked:programs=80,unshielded/detached-wait=40"
// (a class after the rule sets the size of that class's sample only).
func parseSizes(s string) (map[string]int, error) {
	sizes := make(map[string]int)
	for _, kv := range strings.Split(s, ",") {
		if kv == "" {
			continue // -samples "" or a trailing comma
		}
		rule, n, ok := strings.Cut(kv, "=")
		size, err := strconv.Atoi(n)
		name, class, hasClass := strings.Cut(rule, ":")
		if !ok || err != nil || size < 1 || !strings.Contains(name, "/") || hasClass && !slices.Contains(classes, class) {
			return nil, fmt.Errorf("-samples: %q is not analyzer/rule[:class]=N with N > 0 and class %s", kv, strings.Join(classes, " or "))
		}
		sizes[rule] = size
	}
	return sizes, nil
}
