package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/e2e"
)

// A finding the fixture module must produce through golangci-lint.
type finding struct {
	file     string
	line     string // the reported line, trimmed; unique in file
	category string // analyzer/rule
	message  string // regexp: the message between "analyzer: " and " (category)"
	fixed    bool   // golangci-lint run --fix removes it
	testOnly bool   // in a _test.go file: reported only with tests: true
}

// expected lists every finding in testdata/fixture. Findings of analyzers
// that are not in resilvet.Suite are not expected; when an analyzer joins
// the suite, add a hazard for it to the fixture and list it here.
var expected = []finding{
	{file: "directives.go", line: "//resilvet:ignore unshielded", category: "ignore/malformed",
		message: `directive gives no reason: .*`},
	{file: "directives.go", line: "//resilvet:ignore nosuch the reason", category: "ignore/malformed",
		message: `directive names unknown analyzer "nosuch" \(known: .*\)`},
	{file: "directives_test.go", line: "//resilvet:ignore unshielded", category: "ignore/malformed",
		message: `directive gives no reason: .*`, testOnly: true},
	{file: "silentimport.go", line: "loc, _ := time.LoadLocation(name)", category: "silentimport/discarded",
		message: `error of time.LoadLocation discarded: .*`, fixed: true},
	{file: "unshielded.go", line: "return exec.Command(name).Run()", category: "unshielded/detached-call",
		message: `exec.Command is not cancelled when ctx is: use exec.CommandContext\(ctx, …\)`, fixed: true},
	{file: "unshielded.go", line: `err = db.QueryRow("SELECT count(*) FROM t").Scan(&n)`, category: "unshielded/detached-call",
		message: `\(\*sql.DB\).QueryRow is not cancelled when ctx is: .*`, fixed: true},
	{file: "unshielded.go", line: "time.Sleep(time.Second)", category: "unshielded/detached-wait",
		message: `time.Sleep is not interrupted when ctx is cancelled: use shield.Sleep\(ctx, d\)`},
	{file: "halfinit.go", line: "if reg == nil {", category: "halfinit/racy-lazy",
		message: `lazy initialisation of reg is not synchronised: .*; use sync.OnceValue`, fixed: true},
	{file: "halfinit.go", line: "conn, connErr = net.Dial(\"tcp\", \"db:5432\")", category: "halfinit/once-error",
		message: `sync.Once keeps the error of net.Dial for ever: .*`},
	{file: "halfinit.go", line: "if cache == nil { // the unlocked fast path", category: "halfinit/early-publish",
		message: `cache is read outside the lock that guards its initialisation: .*`},
	{file: "envflag.go", line: "busy.Store(true)", category: "envflag/unrestored",
		message: `busy is set to true and reset on some exit paths but not on 1 other: .*`},
	{file: "envflag.go", line: `os.Setenv("GOFLAGS", "-mod=mod")`, category: "envflag/child-env",
		message: `os.Setenv\("GOFLAGS", …\) passes GOFLAGS to the child process started by cmd.Run, .*`},
	{file: "envflag.go", line: `os.Setenv("CLOUD_REGION", region)`, category: "envflag/library-setenv",
		message: `os.Setenv in a library changes the environment of every program that imports it, .*`},
	{file: "fireforget.go", line: "go refresh(ctx)", category: "fireforget/lost-error",
		message: `go statement drops the error of fixture.refresh: .*`},
	{file: "fireforget.go", line: "go func() {", category: "fireforget/untracked",
		message: `goroutine is never waited for: .*`},
	{file: "rawbreaker.go", line: "type circuit struct {", category: "rawbreaker/handrolled",
		message: `type circuit is a hand-rolled circuit breaker .*`},
	{file: "rawbreaker.go", line: `cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "lookup"})`, category: "rawbreaker/foreign",
		message: `gobreaker.NewCircuitBreaker makes a circuit breaker of github.com/sony/gobreaker/v2, .*`},
	{file: "rawbreaker.go", line: `cb := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{Name: "lookup"})`, category: "rawbreaker/per-call",
		message: `circuit breaker made by gobreaker.NewCircuitBreaker serves only this call: .*`},
	{file: "rawbreaker.go", line: "time.Sleep(d)", category: "rawbreaker/no-jitter",
		message: `retry delay grows exponentially \(d \*= 2\) with no jitter: .*`},
	// The package already imports runtime/task, so the fix that starts the
	// goroutine with task.Go is offered, and golangci-lint applies it.
	{file: "tasks/tasks.go", line: "go func() {", category: "fireforget/untracked",
		message: `goroutine is never waited for: .*`, fixed: true},
}

// defaults reports whether f is reported with default settings.
func defaults(f finding) bool { return !f.testOnly && !ruleOff(f) }

// ruleOff reports whether f's rule is off by default (resilvet.Rules says),
// so that it is reported only when switched on.
func ruleOff(f finding) bool {
	for _, r := range resilvet.Rules {
		if r.Analyzer+"/"+r.Name == f.category {
			return !r.Default
		}
	}
	return false
}

const baseConfig = `version: "2"
linters:
  default: none
  enable:
    - resilvet
  settings:
    custom:
      resilvet:
        type: module
        settings:
%s
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false # rawbreaker's foreign and per-call share a line
`

// TestGolangciLint runs the custom golangci-lint on the fixture module:
// findings, settings, configuration errors, SARIF and --fix. It needs the
// binary (built here unless RESILVET_GOLANGCI_BIN names one) and a few
// seconds per run, so it runs only when RESILVET_GOLANGCI_E2E=1, as .ci/run
// sets it.
func TestGolangciLint(t *testing.T) {
	if testing.Short() || os.Getenv("RESILVET_GOLANGCI_E2E") != "1" {
		t.Skip("set RESILVET_GOLANGCI_E2E=1 to run golangci-lint end to end")
	}
	bin := binary(t)
	inSuite := make(map[string]bool)
	for _, a := range resilvet.Suite {
		inSuite[a.Name] = true
	}
	var want []finding
	for _, f := range expected {
		if inSuite[analyzerOf(f.category)] {
			want = append(want, f)
		}
	}

	t.Run("defaults", func(t *testing.T) {
		dir := e2e.CopyModule(t, "testdata/fixture")
		issues, sarif := run(t, bin, dir, "          {}", 1, "--output.json.path=issues.json", "--output.sarif.path=report.sarif")
		check(t, dir, issues, filter(want, defaults))
		checkSARIF(t, sarif, issues)
	})

	// Test files reported, one rule switched off and every rule that is off
	// by default switched on, through the settings.
	t.Run("settings", func(t *testing.T) {
		dir := e2e.CopyModule(t, "testdata/fixture")
		switches := make(map[string][]string) // analyzer → its rule switches
		for _, f := range want {
			if ruleOff(f) && !slices.Contains(switches[analyzerOf(f.category)], "+"+ruleOf(f.category)) {
				switches[analyzerOf(f.category)] = append(switches[analyzerOf(f.category)], "+"+ruleOf(f.category))
			}
		}
		switchedOff := ""
		if inSuite["unshielded"] {
			switchedOff = "unshielded/detached-call"
			switches["unshielded"] = append(switches["unshielded"], "-detached-call")
		}
		settings := "          tests: true\n          analyzers:"
		for _, a := range slices.Sorted(maps.Keys(switches)) {
			settings += fmt.Sprintf("\n            %s:\n              rules: %q", a, strings.Join(switches[a], ","))
		}
		issues, _ := run(t, bin, dir, settings, 1, "--output.json.path=issues.json")
		check(t, dir, issues, filter(want, func(f finding) bool { return f.category != switchedOff }))
	})

	t.Run("bad settings", func(t *testing.T) {
		for settings, msg := range map[string]string{
			"          bogus: true": `unknown field "bogus"`,
			"          analyzers:\n            nosuch: {enabled: true}":               `unknown analyzer "nosuch"`,
			"          analyzers:\n            ignore:\n              rules: +nosuch": `ignore has no rule "nosuch" (rules: malformed, unused)`,
		} {
			dir := e2e.CopyModule(t, "testdata/fixture")
			writeConfig(t, dir, settings)
			out, code := golangci(t, bin, dir, "run", "-c", "config.yml", "./...")
			if code == 0 || code == 1 || !strings.Contains(out, msg) {
				t.Errorf("settings %q: exit status %d, output\n%s\nwant a configuration error containing %q", settings, code, out, msg)
			}
		}
	})

	// The command lines the editor integrations run, on a configuration
	// found as users' is: .golangci.yml in the package's directory.
	t.Run("editors", func(t *testing.T) {
		dir := e2e.CopyModule(t, "testdata/fixture")
		writeConfig(t, dir, "          {}")
		if err := os.Rename(filepath.Join(dir, "config.yml"), filepath.Join(dir, ".golangci.yml")); err != nil {
			t.Fatal(err)
		}
		wantHere := filter(want, defaults)

		// VS Code (vscode-go's goLint.ts, go.lintTool golangci-lint-v2, lint
		// on save of a package) parses text lines with this pattern, from
		// stdout, and shows nothing if the command fails with output on stderr.
		out, code := golangci(t, bin, dir, "run", "--issues-exit-code=0", "--output.text.print-issued-lines=false",
			"--show-stats=false", "--output.text.path=stdout", "--path-mode=abs")
		if code != 0 {
			t.Fatalf("VS Code's command: exit status %d\n%s", code, out)
		}
		vscodeLine := regexp.MustCompile(`^([^:]*: )?((.:)?[^:]*):(\d+)(:(\d+)?)?:(?:\w+:)? (.*)$`)
		var issues []issue
		for l := range strings.Lines(out) {
			m := vscodeLine.FindStringSubmatch(strings.TrimSuffix(l, "\n"))
			if m == nil {
				continue // vscode-go skips what does not match
			}
			var is issue
			is.Pos.Filename, _ = filepath.Rel(dir, m[2])
			is.Pos.Line, _ = strconv.Atoi(m[4])
			is.Text, is.FromLinter, _ = strings.Cut(m[7], " (resilvet)")
			is.FromLinter = "resilvet"
			issues = append(issues, is)
		}
		check(t, dir, issues, wantHere)

		// golangci-lint-langserver (Neovim, Vim, Helix, Emacs) runs this in the
		// directory of the file, needs a non-zero exit status to look at the
		// output, and reads the JSON issues on stdout.
		out, code = golangci(t, bin, dir, "run", "--output.json.path=stdout", "--show-stats=false", "--issues-exit-code=1")
		if code != 1 {
			t.Fatalf("golangci-lint-langserver's command: exit status %d\n%s", code, out)
		}
		var report struct{ Issues []issue }
		if err := json.Unmarshal([]byte(out), &report); err != nil {
			t.Fatalf("golangci-lint-langserver's command: %v\n%s", err, out)
		}
		check(t, dir, report.Issues, wantHere)
	})

	t.Run("fix", func(t *testing.T) {
		dir := e2e.CopyModule(t, "testdata/fixture")
		run(t, bin, dir, "          {}", 1, "--fix", "--output.json.path=issues.json")
		checkGoldens(t, dir, inSuite)
		for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
			cmd := exec.Command("go", args...)
			cmd.Dir, cmd.Env = dir, env(t)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("after --fix, go %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
		// What had no fix is still reported; nothing else is.
		issues, _ := run(t, bin, dir, "          {}", 1, "--output.json.path=issues.json")
		check(t, dir, issues, filter(want, func(f finding) bool { return defaults(f) && !f.fixed }))
	})
}

// binary returns the custom golangci-lint: RESILVET_GOLANGCI_BIN, or one
// built from this module.
func binary(t *testing.T) string {
	if bin := os.Getenv("RESILVET_GOLANGCI_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	bin := filepath.Join(t.TempDir(), "golangci-lint")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building golangci-lint: %v\n%s", err, out)
	}
	return bin
}

// env is the environment of golangci-lint and go in the fixture: offline,
// outside the workspace, with a cache of its own so that no result of an
// earlier build of the plugin is reused.
func env(t *testing.T) []string {
	return append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOLANGCI_LINT_CACHE="+t.TempDir())
}

func writeConfig(t *testing.T, dir, settings string) {
	t.Helper()
	config := strings.Replace(baseConfig, "%s", settings, 1)
	if err := os.WriteFile(filepath.Join(dir, "config.yml"), []byte(config), 0o666); err != nil {
		t.Fatal(err)
	}
}

// golangci runs the binary in dir and returns its combined output and exit
// status.
func golangci(t *testing.T, bin, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env(t)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("%s: %v", bin, err)
	return "", 0
}

// An issue of golangci-lint's JSON output.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename string
		Line     int
	}
}

// run lints dir with settings and returns the issues of the JSON output
// (issues.json) and the SARIF report (report.sarif), if asked for.
func run(t *testing.T, bin, dir, settings string, wantCode int, args ...string) ([]issue, []byte) {
	t.Helper()
	writeConfig(t, dir, settings)
	out, code := golangci(t, bin, dir, slices.Concat([]string{"run", "-c", "config.yml"}, args, []string{"./..."})...)
	if code != wantCode {
		t.Fatalf("golangci-lint %s: exit status %d, want %d\n%s", strings.Join(args, " "), code, wantCode, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "issues.json"))
	if err != nil {
		t.Fatal(err)
	}
	var report struct{ Issues []issue }
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("issues.json: %v", err)
	}
	sarif, _ := os.ReadFile(filepath.Join(dir, "report.sarif")) // absent unless asked for
	return report.Issues, sarif
}

// check reports any difference between the issues and the findings want.
func check(t *testing.T, dir string, issues []issue, want []finding) {
	t.Helper()
	matched := make([]bool, len(want))
	for _, is := range issues {
		// golangci-lint reports a diagnostic's related information as
		// issues of their own, "analyzer(related information): message":
		// each belongs to a finding of that analyzer in the same file.
		if analyzer, _, ok := strings.Cut(is.Text, "(related information): "); ok && !strings.Contains(analyzer, " ") {
			if !slices.ContainsFunc(want, func(f finding) bool {
				return f.file == is.Pos.Filename && analyzerOf(f.category) == analyzer
			}) || is.FromLinter != "resilvet" {
				t.Errorf("related information %s:%d: %s (%s) belongs to no expected finding", is.Pos.Filename, is.Pos.Line, is.Text, is.FromLinter)
			}
			continue
		}
		// golangci-lint prefixes the analyzer; the plugin appends the
		// category. Two findings may share a line.
		i := -1
		for j, f := range want {
			if !matched[j] && f.file == is.Pos.Filename && lineOf(t, dir, f) == is.Pos.Line && messageRE(f).MatchString(is.Text) {
				i = j
				break
			}
		}
		if i < 0 {
			t.Errorf("unexpected issue %s:%d: %s (%s)", is.Pos.Filename, is.Pos.Line, is.Text, is.FromLinter)
			continue
		}
		matched[i] = true
		if is.FromLinter != "resilvet" {
			t.Errorf("%s:%d: %q from %s, want it from resilvet", is.Pos.Filename, is.Pos.Line, is.Text, is.FromLinter)
		}
	}
	for i, f := range want {
		if !matched[i] {
			t.Errorf("missing %s at %s:%d %q, matching %s", f.category, f.file, lineOf(t, dir, f), f.line, messageRE(f))
		}
	}
}

// messageRE is what golangci-lint prints as f's text: the analyzer, the
// message, the category.
func messageRE(f finding) *regexp.Regexp {
	return regexp.MustCompile("^" + regexp.QuoteMeta(analyzerOf(f.category)+": ") + f.message +
		regexp.QuoteMeta(" ("+f.category+")") + "$")
}

// lineOf returns the number of the line of f.file in dir that is f.line,
// trimmed.
func lineOf(t *testing.T, dir string, f finding) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, f.file))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == f.line {
			if n != 0 {
				t.Fatalf("%s: line %q is not unique", f.file, f.line)
			}
			n = i + 1
		}
	}
	if n == 0 {
		t.Fatalf("%s: no line %q", f.file, f.line)
	}
	return n
}

// checkSARIF checks that the report parses as SARIF 2.1.0 and holds the
// issues.
func checkSARIF(t *testing.T, data []byte, issues []issue) {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("SARIF output does not parse: %v\n%s", err, data)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("SARIF version %q with %d runs, want 2.1.0 with 1", log.Version, len(log.Runs))
	}
	var got, want []string
	for _, r := range log.Runs[0].Results {
		if len(r.Locations) != 1 {
			t.Errorf("SARIF result %q has %d locations", r.Message.Text, len(r.Locations))
			continue
		}
		loc := r.Locations[0].PhysicalLocation
		got = append(got, strings.Join([]string{r.RuleID, loc.ArtifactLocation.URI, strconv.Itoa(loc.Region.StartLine), r.Message.Text}, " "))
	}
	for _, is := range issues {
		want = append(want, strings.Join([]string{is.FromLinter, is.Pos.Filename, strconv.Itoa(is.Pos.Line), is.Text}, " "))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("SARIF results\n%s\nwant the JSON issues\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// checkGoldens compares each fixture file that has a golden with it after
// --fix, or with the original when none of its fixed findings' analyzers
// is in the suite or their rules are off by default.
func checkGoldens(t *testing.T, dir string, inSuite map[string]bool) {
	t.Helper()
	var goldens []string
	err := filepath.WalkDir("testdata/fixture", func(path string, _ os.DirEntry, err error) error {
		if strings.HasSuffix(path, ".go.golden") {
			goldens = append(goldens, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, golden := range goldens {
		name, _ := filepath.Rel("testdata/fixture", strings.TrimSuffix(golden, ".golden"))
		name = filepath.ToSlash(name)
		var present, absent []string
		for _, f := range expected {
			if f.file == name && f.fixed && !ruleOff(f) { // the fix run has the default rules
				if inSuite[analyzerOf(f.category)] {
					present = append(present, f.category)
				} else {
					absent = append(absent, f.category)
				}
			}
		}
		wantFile := golden
		switch {
		case len(present) == 0:
			wantFile = filepath.Join("testdata/fixture", name) // nothing there to fix
		case len(absent) > 0:
			t.Errorf("%s mixes fixes of analyzers in the suite (%v) and not (%v): split it", name, present, absent)
			continue
		}
		wantData, err := os.ReadFile(wantFile)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, wantData) {
			t.Errorf("%s after --fix:\n%s\nwant (%s):\n%s", name, got, wantFile, wantData)
		}
	}
}

func filter(fs []finding, keep func(finding) bool) []finding {
	return slices.DeleteFunc(slices.Clone(fs), func(f finding) bool { return !keep(f) })
}

func analyzerOf(category string) string {
	a, _, _ := strings.Cut(category, "/")
	return a
}

func ruleOf(category string) string {
	_, r, _ := strings.Cut(category, "/")
	return r
}
