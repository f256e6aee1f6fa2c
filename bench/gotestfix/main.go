// Command gotestfix is the fix-safety run on Go's own test corpus: it
// applies every fix resilvet offers, with every rule on, to copies of the
// runnable programs of $GOROOT/test and checks that each still builds,
// vets, prints its expected output, is race-clean where the original was,
// and that a second -fix changes nothing. From the repository root:
//
//	go run ./bench/gotestfix [-strict] [-run regexp] [-p 1] [-timeout 60s] [-originals=false] [-resume] [-known regexp] [-doc]
//
// The programs are the files of cmd/internal/testdir's directories whose
// recipe is "// run" (after build constraints), with their recipe's go
// command flags (-gcflags, -tags, -race), -goexperiment and -godebug
// settings, extra files and arguments, and not excluded on this GOOS/GOARCH
// by their build constraints. A program with a .out file must print it; one
// without must print nothing, as cmd/internal/testdir requires.
//
// Each program is copied into a scratch module (go line: the toolchain's
// language version, as cmd/internal/testdir compiles without -lang, or the
// -lang of the recipe's -gcflags) that requires and replaces the local
// runtime module as bench/fixsafety.sh does. Its original is built, vetted,
// run (with a timeout) and built and run with -race. One resilvet -json run
// over all programs (the survey) finds those that offer a fix; each of
// those is linted, fixed with resilvet -fix and checked on its own. The
// output of a fixed program is compared with the .out file, or with the
// original's output where the original does not print the expected one
// (its exit status too). A failure is attributed to the rules whose fixes
// alone reproduce it, each rule's fixes applied to a fresh copy.
//
// It exits 1 when a program fails a check, unless -known names every
// failing program (the known limits docs/precision.md explains).
//
// The table is printed and written to -out/report.md; -doc writes it into
// docs/precision.md, section "## Fix safety on Go's test corpus" (with
// -strict: "…, strict profile").
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/bench/internal/mdsection"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gotestfix: ")
	var (
		runRE     = flag.String("run", "", "check only the programs whose path under $GOROOT/test matches this `regexp`")
		parallel  = flag.Int("p", 1, "check this many programs at once")
		timeout   = flag.Duration("timeout", time.Minute, "kill a program run after this long (three times as long with -race; a recipe's -t may raise it)")
		strict    = flag.Bool("strict", false, "lint and fix with the strict profile too (-strict)")
		originals = flag.Bool("originals", true, "run every program's original, not only those with fixes (for the corpus's counts)")
		noSurvey  = flag.Bool("nosurvey", false, "lint every program on its own instead of trusting the survey")
		resume    = flag.Bool("resume", false, "reuse the results of an earlier run in -out: the originals' if the toolchain and -timeout are the same, the checks' if the binary and flags are too")
		out       = flag.String("out", filepath.Join(os.TempDir(), "resilvet-gotestfix"), "scratch and results `directory`")
		rvPath    = flag.String("resilvet", "", "run this resilvet `binary` instead of building ./cmd/resilvet")
		doc       = flag.Bool("doc", false, `write the table to docs/precision.md, section "## Fix safety on Go's test corpus"`)
		knownRE   = flag.String("known", "", "the programs, by `regexp`, whose failures are known limits (docs/precision.md): still reported, but the exit status is 0 if only they fail")
	)
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("unexpected arguments %q", flag.Args())
	}
	var re *regexp.Regexp
	if *runRE != "" {
		var err error
		if re, err = regexp.Compile(*runRE); err != nil {
			log.Fatal(err)
		}
	}
	var known *regexp.Regexp
	if *knownRE != "" {
		var err error
		if known, err = regexp.Compile(*knownRE); err != nil {
			log.Fatal(err)
		}
	}
	root, err := repoRoot()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	goroot, goLine := goEnv("GOROOT"), langVersion(goEnv("GOVERSION"))
	// The tree's commit as the binary is built from it: a run takes long
	// enough for HEAD to move.
	commit := "binary " + *rvPath
	if *rvPath == "" {
		commit = "of a tree that is not a git checkout"
		if head := command(root, nil, time.Minute, "git", "rev-parse", "--short", "HEAD"); head.ok() {
			commit = strings.TrimSpace(head.Output)
			if command(root, nil, time.Minute, "git", "diff", "--quiet", "HEAD", "--", ".").Exit != 0 {
				commit += " + uncommitted changes"
			}
		}
	}
	bin := *rvPath
	if bin == "" {
		bin = filepath.Join(*out, "resilvet")
		if res := command(root, nil, buildTimeout, "go", "build", "-o", bin, "./cmd/resilvet"); !res.ok() {
			log.Fatalf("building resilvet: %s", res.Output)
		}
	}
	r, err := newRunner(root, goroot, bin, filepath.Join(*out, "work"), *strict, *timeout)
	if err != nil {
		log.Fatal(err)
	}
	r.resume = *resume
	progs, skips, err := selectPrograms(filepath.Join(goroot, "test"), re, goLine)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%d programs, %d \"// run\" files left out", len(progs), len(skips))
	key := runKey(bin, r.lintFlags, *noSurvey, *timeout)

	var survey map[string]*surveyResult
	if !*noSurvey {
		log.Printf("survey: resilvet -json over all programs")
		if survey, err = r.survey(progs, goLine); err != nil {
			log.Fatal(err)
		}
		fixable := 0
		for _, s := range survey {
			if s.Fixable > 0 {
				fixable++
			}
		}
		log.Printf("survey: %d programs offer fixes; %d are linted on their own", fixable, len(progs)-len(survey))
	}

	results := make([]*result, len(progs))
	resultsDir := filepath.Join(*out, "results")
	if err := os.MkdirAll(resultsDir, 0o755); err != nil {
		log.Fatal(err)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(*parallel, 1))
	var mu sync.Mutex
	done := 0
	for i, p := range progs {
		saved := filepath.Join(resultsDir, p.dirName()+".json")
		if *resume {
			if res := loadResult(saved, key); res != nil && (res.Orig != nil || !*originals) {
				results[i] = res
				continue
			}
		}
		var s *surveyResult
		if survey != nil {
			s = survey[p.Name] // nil when the survey could not judge it: look
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res := r.checkProgram(p, s, *originals)
			saveResult(saved, key, res)
			mu.Lock()
			defer mu.Unlock()
			results[i] = res
			done++
			if len(res.Offers) > 0 || done%50 == 0 {
				log.Printf("%d/%d %s: %d fixes offered, %d applied, %d failures", done, len(progs), p.Name, len(res.Offers), res.Applied, len(res.Failures))
			}
		}()
	}
	wg.Wait()

	invocation := "go run ./bench/gotestfix"
	if *strict {
		invocation += " -strict"
	}
	if re != nil {
		invocation += " -run '" + *runRE + "'"
	}
	report := render(progs, skips, results, reportInfo{
		invocation: invocation,
		commit:     commit,
		goVersion:  goEnv("GOVERSION"),
		platform:   runtime.GOOS + "/" + runtime.GOARCH,
		goLine:     goLine,
		flags:      r.lintFlags,
		originals:  *originals,
		survey:     survey != nil,
		work:       r.work,
		known:      known,
	})
	fmt.Print(report)
	if err := os.WriteFile(filepath.Join(*out, "report.md"), []byte(report), 0o644); err != nil {
		log.Fatal(err)
	}
	if *doc {
		heading := "## Fix safety on Go's test corpus"
		if *strict {
			heading += ", strict profile"
		}
		if err := mdsection.ReplaceFile(filepath.Join(root, "docs", "precision.md"), "# Precision", heading, report); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote docs/precision.md, section %q", heading)
	}
	if n := unexpected(results, known); n > 0 {
		log.Printf("%d programs fail a check (not counting the known limits)", n)
		os.Exit(1)
	}
}

// unexpected returns how many results have failures, not counting the
// programs known matches; it logs a known one that passes, whose entry in
// -known may go.
func unexpected(results []*result, known *regexp.Regexp) int {
	n := 0
	for _, r := range results {
		isKnown := known != nil && known.MatchString(r.Name)
		switch {
		case len(r.Failures) > 0 && !isKnown:
			n++
		case len(r.Failures) == 0 && isKnown && len(r.Offers) > 0:
			log.Printf("%s passes now: -known need not name it", r.Name)
		}
	}
	return n
}

// newRunner returns a runner for the programs under goroot/test, with the
// repository at root and the resilvet binary bin, working in work.
func newRunner(root, goroot, bin, work string, strict bool, timeout time.Duration) (*runner, error) {
	goSum, err := os.ReadFile(filepath.Join(root, "runtime", "go.sum"))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	return &runner{
		goroot:     goroot,
		resilvet:   bin,
		lintFlags:  lintFlags(strict),
		work:       work,
		runtimeDir: filepath.Join(root, "runtime"),
		goSum:      goSum,
		timeout:    timeout,
		toolchain:  goEnv("GOVERSION") + " " + goroot,
	}, nil
}

// lintFlags are resilvet's flags for every lint and fix: every rule of
// every analyzer of the suite on (what bench/precision -allrules prints),
// and the runtime fixes.
func lintFlags(strict bool) []string {
	var flags []string
	for _, a := range resilvet.Suite {
		flags = append(flags, "-"+a.Name+".rules=+all")
	}
	flags = append(flags, "-runtimefixes")
	if strict {
		flags = append(flags, "-strict")
	}
	return flags
}

// repoRoot returns the resilvet repository's root: the directory, at or
// above the working directory, whose go.mod is the resilvet module's.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.HasPrefix(string(data), "module github.com/resilvet/resilvet\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run from inside the resilvet repository")
		}
		dir = parent
	}
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		log.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

// langVersion returns the language version of a toolchain version:
// "go1.26.8" → "1.26".
func langVersion(v string) string {
	v = strings.TrimPrefix(v, "go")
	if i := strings.Index(v, "."); i >= 0 {
		if j := strings.IndexAny(v[i+1:], ".-+ "); j >= 0 {
			v = v[:i+1+j]
		}
	}
	return v
}

// runKey identifies what a saved result depends on: the binary, the flags
// and the toolchain.
func runKey(bin string, flags []string, noSurvey bool, timeout time.Duration) string {
	h := sha256.New()
	if f, err := os.Open(bin); err == nil {
		_, _ = io.Copy(h, f)
		f.Close()
	}
	fmt.Fprintln(h, flags, noSurvey, timeout, goEnv("GOVERSION"), goEnv("GOROOT"))
	return hex.EncodeToString(h.Sum(nil))
}

type savedResult struct {
	Key    string
	Result *result
}

func loadResult(path, key string) *result {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var s savedResult
	if json.Unmarshal(data, &s) != nil || s.Key != key {
		return nil // another binary or other flags
	}
	return s.Result
}

func saveResult(path, key string, res *result) {
	data, err := json.MarshalIndent(savedResult{key, res}, "", "\t")
	if err == nil {
		err = os.WriteFile(path, data, 0o644)
	}
	if err != nil {
		log.Printf("saving %s: %v", path, err)
	}
}
