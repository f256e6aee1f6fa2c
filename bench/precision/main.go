// Command precision runs every analyzer of resilvet.Suite, with every rule
// switched on, over the Go standard library and each module that
// bench/corpus pins, and writes what is needed to measure precision:
//
//   - the findings of each rule, and their rate per 100,000 lines of the
//     analysed packages (non-test, non-generated .go files);
//   - per rule, the findings to judge: all of them if there are at most 30,
//     else a random sample of 30 drawn with a fixed seed, each with its
//     file:line, source line and message, and empty verdict columns for the
//     rule's owner to fill in docs/precision.md;
//   - robustness: any panic, analyzer error or load error, per target.
//
// Usage, from the repository root:
//
//	go run ./bench/precision [-quick] [-seed N] [-out DIR] [-doc] [targets...]
//
// Targets are "std" and module paths from bench/corpus/go.mod's direct
// requirements (default: all of them). With -doc it writes the sections
// "## Summary (all rules)" and "## Robustness" of docs/precision.md. See
// bench/README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
		bin    = flag.String("resilvet", "", "resilvet `binary` to run (default: build ./cmd/resilvet)")
		list   = flag.Bool("list", false, "print the corpus modules' packages as path@version, for go get, and exit")
		rules  = flag.Bool("allrules", false, "print the flags that switch every rule of the suite on, and exit")
	)
	flag.Parse()
	if *rules {
		fmt.Println(strings.Join(allRulesFlags()[1:], " ")) // without -runtimefixes
		return
	}
	if *list {
		if err := listPackages(*corpus, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "precision:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*quick, *seed, *size, *out, *doc, *corpus, *bin, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "precision:", err)
		os.Exit(1)
	}
}

func run(quick bool, seed uint64, size int, out string, doc bool, corpus, bin string, args []string) error {
	corpus, err := filepath.Abs(corpus)
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
	targets, err := selectTargets(corpus, quick, args)
	if err != nil {
		return err
	}
	env := &runEnv{bin: bin, dir: corpus, flags: allRulesFlags()}
	if err := env.init(); err != nil {
		return err
	}

	var results []*targetResult
	for _, t := range targets {
		start := time.Now()
		fmt.Fprintf(os.Stderr, "precision: %s ...", t.name)
		r := env.analyse(t)
		fmt.Fprintf(os.Stderr, " %d findings, %d packages, %d lines, %.0fs%s\n",
			len(r.findings), r.packages, r.lines.handwritten, time.Since(start).Seconds(), r.problemSummary())
		results = append(results, r)
	}

	rep := newReport(results, seed, size, env)
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
		if err := mdsection.ReplaceFile(file, "# Precision", "## Summary (all rules)", rep.summary()); err != nil {
			return err
		}
		if err := mdsection.ReplaceFile(file, "# Precision", "## Robustness", rep.robustness()); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "precision: wrote the summary and robustness sections of %s\n", file)
	}
	return nil
}

// listPackages prints the packages of the corpus modules as path@version:
// go get needs them all to complete the corpus's go.sum (see
// bench/README.md).
func listPackages(corpus string, args []string) error {
	corpus, err := filepath.Abs(corpus)
	if err != nil {
		return err
	}
	targets, err := selectTargets(corpus, false, args)
	if err != nil {
		return err
	}
	env := &runEnv{dir: corpus}
	if err := env.init(); err != nil {
		return err
	}
	for _, t := range targets {
		if t.version == "" {
			continue // std needs no go.sum
		}
		pkgs, _, err := env.packages(t)
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
}

// selectTargets returns std and the corpus modules named by args (default:
// all direct requirements of the corpus module).
func selectTargets(corpus string, quick bool, args []string) ([]target, error) {
	cmd := exec.Command("go", "mod", "edit", "-json")
	cmd.Dir = corpus
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod edit -json in %s: %w", corpus, err)
	}
	mods, err := directRequirements(data)
	if err != nil {
		return nil, err
	}
	if quick && len(args) == 0 {
		return []target{
			{name: "std", patterns: []string{"go/..."}},
			mods["github.com/hashicorp/raft"],
			mods["github.com/sony/gobreaker/v2"],
		}, nil
	}
	var targets []target
	if len(args) == 0 {
		targets = append(targets, target{name: "std", patterns: []string{"std"}})
		for _, path := range sortedKeys(mods) {
			targets = append(targets, mods[path])
		}
		return targets, nil
	}
	for _, a := range args {
		switch t, ok := mods[a]; {
		case a == "std":
			targets = append(targets, target{name: "std", patterns: []string{"std"}})
		case ok:
			targets = append(targets, t)
		default:
			return nil, fmt.Errorf("%s is neither std nor a direct requirement of %s/go.mod", a, corpus)
		}
	}
	return targets, nil
}
