package driver_test

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// sampleTool builds the driver running the stand-in sample analyzer.
func sampleTool(t *testing.T) string {
	t.Helper()
	return e2e.Build(t, "github.com/resilvet/resilvet/internal/driver/testdata/sampletool")
}

// fixture copies testdata/name to a temporary directory.
func fixture(t *testing.T, name string) string {
	t.Helper()
	return e2e.CopyModule(t, filepath.Join("testdata", name))
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// Resilvet's own version, where outputs show it: a development build has
// none; built in a git checkout with VCS stamping, it has a pseudo-version.
var (
	sarifVersionRE   = regexp.MustCompile(`("name": "resilvet",\n\s*)"version": "[^"]*",\n\s*"semanticVersion": "[^"]*",\n\s*`)
	runtimeVersionRE = regexp.MustCompile(`(github\.com/resilvet/resilvet/runtime )v[0-9]\S*`)
)

// normalize replaces the temporary directory in output with $DIR and
// leaves resilvet's own version out.
func normalize(dir, s string) string {
	s = strings.ReplaceAll(s, "file://"+filepath.ToSlash(dir), "file://$DIR")
	s = sarifVersionRE.ReplaceAllString(s, "${1}")
	s = runtimeVersionRE.ReplaceAllString(s, "${1}$$VERSION")
	return strings.ReplaceAll(s, dir, "$DIR")
}

func expectCode(t *testing.T, res e2e.Result, want int) {
	t.Helper()
	if res.Code != want {
		t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", res.Code, want, res.Stdout, res.Stderr)
	}
}

func TestTextJSONSARIF(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := fixture(t, "mod")

	res := e2e.Run(t, dir, bin, "./...")
	expectCode(t, res, 1)
	golden(t, "text.txt", res.Stdout)

	res = e2e.Run(t, dir, bin, "-json", "./...")
	expectCode(t, res, 1)
	golden(t, "json.json", normalize(dir, res.Stdout))
	var tree map[string]map[string][]map[string]any
	if err := json.Unmarshal([]byte(res.Stdout), &tree); err != nil {
		t.Fatalf("-json output is not go vet's tree: %v", err)
	}
	if got := tree["example.com/mod/b"]["sample"][0]["category"]; got != "sample/marked" {
		t.Errorf("first finding of b: category %v, want sample/marked", got)
	}

	res = e2e.Run(t, dir, bin, "-sarif", "./...")
	expectCode(t, res, 1)
	golden(t, "sarif.json", normalize(dir, res.Stdout))
	checkSARIF(t, res.Stdout)

	// A clean package: SARIF still has its results array.
	res = e2e.Run(t, dir, bin, "-sarif", "./clean")
	expectCode(t, res, 0)
	if !strings.Contains(res.Stdout, `"results": []`) {
		t.Errorf("clean SARIF run has no empty results array:\n%s", res.Stdout)
	}
}

// checkSARIF checks the invariants code-scanning services rely on.
func checkSARIF(t *testing.T, out string) {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
						Help    struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Fixes               []any             `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("SARIF does not parse: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	fixes := 0
	for _, r := range run.Results {
		if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %d does not name its rule", r.RuleID, r.RuleIndex)
		}
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URIBaseID != "%SRCROOT%" || strings.HasPrefix(loc.URI, "/") {
			t.Errorf("result %s: location %+v is not relative to %%SRCROOT%%", r.RuleID, loc)
		}
		if r.PartialFingerprints["resilvet/v1"] == "" {
			t.Errorf("result %s has no fingerprint", r.RuleID)
		}
		fixes += len(r.Fixes)
	}
	if fixes == 0 {
		t.Errorf("no result carries its fix")
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.Help.Text == "" || !strings.Contains(rule.HelpURI, "#hdr-Rule_") {
			t.Errorf("rule %s: help %q, helpUri %q", rule.ID, rule.Help.Text, rule.HelpURI)
		}
	}
}

func TestExitStatus(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	mod := fixture(t, "mod")
	for _, tc := range []struct {
		name   string
		dir    string
		args   []string
		code   int
		stderr string // regexp the standard error must match
	}{
		{"clean", mod, []string{"./clean"}, 0, `^resilvet: no findings in 1 package; 1 rule off, see resilvet help$`},
		{"findings", mod, []string{"./b"}, 1, `^resilvet: 2 findings in 1 package \(1 with a fix: resilvet -fix applies them\); 1 rule off, see resilvet help$`},
		{"pattern matching nothing", mod, []string{"./nosuch/..."}, 2, `pattern \./nosuch/\.\.\.: lstat \./nosuch/: no such file or directory`},
		{"unknown flag", mod, []string{"-nosuch", "./..."}, 2, `flag provided but not defined: -nosuch`},
		{"unknown rule", mod, []string{"-sample.rules=+nosuch", "./..."}, 2, `sample has no rule "nosuch"`},
		{"-diff alone", mod, []string{"-diff", "./..."}, 2, `-diff works with -fix`},
		{"syntax error", fixture(t, "broken"), []string{"./..."}, 2, `broken\.go:5:1: expected operand, found '}'`},
		{"type error", fixture(t, "typeerr"), []string{"./..."}, 2, `typeerr\.go:4:9: cannot use "not an int" \(untyped string constant\) as int value in return statement`},
		// One error, once: not an analysis failure for every importer.
		{"error in a dependency", fixture(t, "deperr"), []string{"./..."}, 2, `^a/a\.go:3:13: cannot use "s" \(untyped string constant\) as int value in variable declaration\nresilvet: 2 packages do not build \(errors above\); nothing else to analyse;`},
		{"empty module", fixture(t, "empty"), []string{"./..."}, 2, `matched no packages`},
		// The default ".", at the root of a module whose code is below it.
		{"no Go files", mod, nil, 2, `^resilvet: no Go files in \.: to analyse the packages below it: resilvet \./\.\.\.$`},
		{"outside any module", fixture(t, "nomod"), []string{"./..."}, 2, `^resilvet: \S+ is not in a Go module \(no go\.mod here or above\): run resilvet in a module's directory, or create one with go mod init$`},
		// The go command's error, once, without the type checker's
		// "could not import … (invalid package name)" that follows from it.
		{"missing dependency", fixture(t, "missingdep"), []string{"./..."}, 2, `^m\.go:3:8: no required module provides package example\.com/nosuch/pkg; to add it:\n\tgo get example\.com/nosuch/pkg\nresilvet: 1 package does not build`},
		// The syntax error first, though its file sorts last.
		{"parse before type errors", fixture(t, "parseorder"), []string{"./..."}, 2, `^z\.go:\d+:\d+: .*\n(?s:.*)a\.go:3:23: cannot use`},
		// A flag that took the next argument as its value.
		{"flag swallowed a package", mod, []string{"-baseline", "./b"}, 2, `^resilvet: -baseline took "\./b", a directory, as its file: write -baseline FILE, then the packages$`},
		{"flag swallowed a flag", mod, []string{"-write-baseline", "-json", "./b"}, 2, `^resilvet: -write-baseline took "-json", a flag, as its file`},
		{"analyzer panic", fixture(t, "crashmod"), []string{"./..."}, 2, `sample failed on example\.com/crashmod: internal error analysing example\.com/crashmod \(please report it\): sample: Crash called`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e2e.Run(t, tc.dir, bin, tc.args...)
			expectCode(t, res, tc.code)
			if !regexp.MustCompile(tc.stderr).MatchString(strings.TrimSpace(res.Stderr)) {
				t.Errorf("stderr does not match %s:\n%s", tc.stderr, res.Stderr)
			}
		})
	}
}

func TestCgoAndBuildTags(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	if res := e2e.Run(t, t.TempDir(), "go", "env", "CGO_ENABLED"); strings.TrimSpace(res.Stdout) != "1" {
		t.Skip("cgo is disabled")
	}
	res := e2e.Run(t, fixture(t, "cgo"), bin, "./...")
	expectCode(t, res, 1)
	if want := "cgo.go:10:2: call to Hazard is hazardous (sample/hazard)\n"; res.Stdout != want {
		t.Errorf("cgo package: got %q, want %q (the position must be in the user's file)", res.Stdout, want)
	}

	// -fix and -fix -diff report the fix they skip alike, and both exit
	// 1: a gate on -diff must not read "nothing to fix" (issue 12, item 3).
	for _, args := range [][]string{{"-fix", "./..."}, {"-fix", "-diff", "./..."}} {
		res := e2e.Run(t, fixture(t, "cgo"), bin, args...)
		expectCode(t, res, 1)
		if !strings.Contains(res.Stderr, "resilvet: 1 fix skipped: they edit generated or cgo-processed files\n") {
			t.Errorf("%v: stderr:\n%s", args, res.Stderr)
		}
	}

	mod := fixture(t, "mod")
	res = e2e.Run(t, mod, bin, "./tagged")
	expectCode(t, res, 0)
	res = e2e.Run(t, mod, bin, "-tags=special", "./tagged")
	expectCode(t, res, 1)
	if !strings.Contains(res.Stdout, "tagged/t.go:7:12: call to Hazard") {
		t.Errorf("-tags=special: %q", res.Stdout)
	}
}

func TestRuleSwitchesAndTests(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	mod := fixture(t, "mod")
	for _, tc := range []struct {
		name string
		args []string
		want string // the categories reported, in order
	}{
		// The directive at a.go:18 suppresses nothing for the rules that
		// ran, though one rule (beta) is off.
		{"defaults", []string{"./a", "./b"}, "sample/hazard ignore/malformed sample/hazard ignore/unused sample/marked sample/hazard"},
		// With hazard off, the directive at a.go:11 suppresses nothing
		// either; both are judged against the rules that ran.
		{"switched", []string{"-sample.rules=+beta,-hazard", "./a", "./b"}, "ignore/unused ignore/malformed ignore/unused sample/beta sample/marked"},
		// A directive naming the analyzer is judged against any rule of it
		// that ran, here beta alone.
		{"one rule", []string{"-sample.rules=-all,+beta", "./a", "./b"}, "ignore/unused ignore/malformed ignore/unused sample/beta"},
		{"all", []string{"-sample.rules=+all", "./a", "./b"}, "sample/hazard ignore/malformed sample/hazard ignore/unused sample/beta sample/marked sample/hazard"},
		{"disabled", []string{"-sample=false", "./a", "./b"}, "ignore/malformed"},
		{"only", []string{"-sample=true", "./a", "./b"}, "sample/hazard sample/hazard sample/marked sample/hazard"},
		{"tests", []string{"-sample.tests", "./a"}, "sample/hazard ignore/malformed sample/hazard ignore/unused sample/hazard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e2e.Run(t, mod, bin, tc.args...)
			if got := categories(res.Stdout); got != tc.want {
				t.Errorf("%v: categories %q, want %q\n%s%s", tc.args, got, tc.want, res.Stdout, res.Stderr)
			}
		})
	}

	// The same flag in vet mode.
	res := e2e.Run(t, mod, "go", "vet", "-vettool="+bin, "-sample.rules=+beta,-hazard", "./b")
	expectCode(t, res, 1)
	if !strings.Contains(res.Stderr, "function named Beta") || strings.Contains(res.Stderr, "call to Hazard") {
		t.Errorf("vet -sample.rules=+beta,-hazard:\n%s", res.Stderr)
	}
}

var categoryRE = regexp.MustCompile(`(?m)^\S+:\d+:\d+: .* \(([a-z-]+/[a-z-]+)\)$`)

// categories lists the analyzer/rule of each finding of text output.
func categories(out string) string {
	var cats []string
	for _, m := range categoryRE.FindAllStringSubmatch(out, -1) {
		cats = append(cats, m[1])
	}
	return strings.Join(cats, " ")
}

func TestDirectives(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	mod := fixture(t, "mod")
	res := e2e.Run(t, mod, bin, "-sample.rules=+all", "./a")
	want := `a/a.go:9:2: call to Hazard is hazardous (sample/hazard)
a/a.go:14:2: directive gives no reason: say why the finding is acceptable after the analyzer names (ignore/malformed)
a/a.go:15:2: call to Hazard is hazardous (sample/hazard)
a/a.go:18:1: directive suppresses nothing: remove it (ignore/unused)
`
	if res.Stdout != want {
		t.Errorf("got:\n%s\nwant:\n%s", res.Stdout, want)
	}
	// Unused directives are for the standalone driver only: vet sees one
	// package at a time, and here not all rules are on.
	res = e2e.Run(t, mod, "go", "vet", "-vettool="+bin, "-sample.rules=+all", "./a")
	if strings.Contains(res.Stderr, "suppresses nothing") || !strings.Contains(res.Stderr, "directive gives no reason") {
		t.Errorf("vet:\n%s", res.Stderr)
	}
	if strings.Count(res.Stderr, "call to Hazard") != 2 {
		t.Errorf("vet: the directive at a.go:11 was not honoured:\n%s", res.Stderr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestFix applies the fixes, including one that imports the runtime module,
// and checks the result builds, vets, reaches a fixed point at once, and
// that -diff shows the same change without writing it.
func TestFix(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	e2e.RuntimeSums(t)
	dir := fixture(t, "mod")
	before := readFile(t, filepath.Join(dir, "c/c.go"))

	res := e2e.Run(t, dir, bin, "-fix", "-diff", "./...")
	expectCode(t, res, 1)
	golden(t, "fix.diff", normalize(dir, strings.ReplaceAll(res.Stdout, filepath.ToSlash(filepath.Join(e2e.RepoRoot(t), "runtime")), "$REPO/runtime")))
	if readFile(t, filepath.Join(dir, "c/c.go")) != before {
		t.Fatalf("-fix -diff wrote c/c.go")
	}

	res = e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 1) // findings without fixes remain
	if !strings.Contains(res.Stderr, "applied 4 fixes to 3 files in 1 round") {
		t.Errorf("-fix summary:\n%s", res.Stderr)
	}
	golden(t, "fix-remaining.txt", res.Stdout)
	golden(t, "fixed-c.go", readFile(t, filepath.Join(dir, "c/c.go")))
	if gomod := readFile(t, filepath.Join(dir, "go.mod")); !strings.Contains(gomod, "require github.com/resilvet/resilvet/runtime v") || strings.Contains(gomod, "// indirect") {
		t.Errorf("go.mod after -fix:\n%s", gomod)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		if res := e2e.Run(t, dir, "go", args...); res.Code != 0 {
			t.Errorf("go %s after -fix: %s", strings.Join(args, " "), res.Stderr)
		}
	}

	// A fixed point: a second -fix changes nothing.
	after := readFile(t, filepath.Join(dir, "c/c.go"))
	res = e2e.Run(t, dir, bin, "-fix", "./...")
	if strings.Contains(res.Stderr, "applied") || readFile(t, filepath.Join(dir, "c/c.go")) != after {
		t.Errorf("second -fix changed something:\n%s", res.Stderr)
	}
	// -fix -diff exits as a gate: 1 while findings remain, with or
	// without a fix, though the diff is empty.
	res = e2e.Run(t, dir, bin, "-fix", "-diff", "./...")
	expectCode(t, res, 1)
	if res.Stdout != "" {
		t.Errorf("-fix -diff at a fixed point printed a diff:\n%s", res.Stdout)
	}
}

// TestBaseline checks that a baseline keeps suppressing when unrelated
// edits shift lines, and lets a new finding through.
func TestBaseline(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := fixture(t, "mod")
	res := e2e.Run(t, dir, bin, "-write-baseline", "baseline.json", "./...")
	expectCode(t, res, 0)
	if !strings.Contains(res.Stderr, "wrote 7 findings to baseline.json") {
		t.Errorf("-write-baseline: %s", res.Stderr)
	}
	res = e2e.Run(t, dir, bin, "-baseline", "baseline.json", "./...")
	expectCode(t, res, 0)

	// Shift every line of a.go and b.go.
	for _, f := range []string{"a/a.go", "b/b.go"} {
		path := filepath.Join(dir, f)
		src := readFile(t, path)
		i := strings.Index(src, "\nfunc ")
		src = src[:i] + "\n// A comment\n// that moves\n// everything below.\n" + src[i:]
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res = e2e.Run(t, dir, bin, "-baseline", "baseline.json", "./...")
	expectCode(t, res, 0)
	if res.Stdout != "" {
		t.Errorf("findings after lines shifted:\n%s", res.Stdout)
	}

	// A new finding, identical to a baselined one in the same function.
	path := filepath.Join(dir, "b/b.go")
	src := strings.Replace(readFile(t, path), "\ta.Hazard()\n", "\ta.Hazard()\n\ta.Hazard()\n", 1)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res = e2e.Run(t, dir, bin, "-baseline", "baseline.json", "./...")
	expectCode(t, res, 1)
	if want := "b/b.go:14:2: call to Hazard is hazardous (sample/hazard)\n"; res.Stdout != want {
		t.Errorf("with a new finding: got %q, want %q", res.Stdout, want)
	}

	res = e2e.Run(t, dir, bin, "-baseline", "nosuch.json", "./...")
	expectCode(t, res, 2)
}

// TestVetAndFixTool runs the driver as go vet's and go fix's tool.
func TestVetAndFixTool(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := fixture(t, "mod")

	res := e2e.Run(t, dir, "go", "vet", "-vettool="+bin, "./...")
	expectCode(t, res, 1)
	for _, want := range []string{"a/a.go:9:2: call to Hazard is hazardous", "b/b.go:8:2: call to marked function MarkDone", "c/c.go:10:2: goroutine started here"} {
		if !strings.Contains(res.Stderr, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, res.Stderr)
		}
	}

	res = e2e.Run(t, dir, "go", "vet", "-vettool="+bin, "-json", "./b")
	var tree map[string]map[string][]map[string]any
	if err := json.Unmarshal([]byte(res.Stdout), &tree); err != nil {
		t.Fatalf("go vet -json: %v\n%s\n%s", err, res.Stdout, res.Stderr)
	}
	if got := tree["example.com/mod/b"]["sample"][1]["category"]; got != "sample/hazard" {
		t.Errorf("go vet -json: category %v\n%s", got, res.Stderr)
	}

	// go vet -fix -diff prints the standard-library fixes; the spawn fix
	// needs the runtime, which this module does not depend on yet.
	res = e2e.Run(t, dir, "go", "vet", "-vettool="+bin, "-fix", "-diff", "./...")
	if !strings.Contains(res.Stdout, "+\ta.Safe()") || strings.Contains(res.Stdout, "task.Go") {
		t.Errorf("go vet -fix -diff:\n%s\n%s", res.Stdout, res.Stderr)
	}
	if strings.Contains(readFile(t, filepath.Join(dir, "b/b.go")), "Safe") {
		t.Fatalf("go vet -fix -diff wrote b/b.go")
	}

	res = e2e.Run(t, dir, "go", "vet", "-vettool="+bin, "-fix", "./b")
	if !strings.Contains(readFile(t, filepath.Join(dir, "b/b.go")), "a.Safe()") {
		t.Errorf("go vet -fix did not apply the fix:\n%s", res.Stderr)
	}

	res = e2e.Run(t, dir, "go", "fix", "-fixtool="+bin, "./a")
	if src := readFile(t, filepath.Join(dir, "a/a.go")); strings.Count(src, "Safe()") != 3 {
		t.Errorf("go fix -fixtool did not apply the fixes (status %d):\n%s\n%s", res.Code, src, res.Stderr)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := t.TempDir()
	res := e2e.Run(t, dir, bin, "help")
	expectCode(t, res, 0)
	for _, want := range []string{"sample", "hazard", "beta", "[off]", "-NAME.rules"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	res = e2e.Run(t, dir, bin, "help", "sample")
	expectCode(t, res, 0)
	if !strings.Contains(res.Stdout, "# Rule hazard") || !strings.Contains(res.Stdout, "Hazard() // call to Hazard is hazardous") {
		t.Errorf("help sample:\n%s", res.Stdout)
	}
	res = e2e.Run(t, dir, bin, "help", "sample/hazard")
	expectCode(t, res, 0)
	if !strings.Contains(res.Stdout, "#hdr-Rule_hazard") {
		t.Errorf("help sample/hazard:\n%s", res.Stdout)
	}
	for _, tc := range []struct{ arg, want string }{
		{"nosuch", `resilvet: no analyzer named "nosuch"; run 'resilvet help' for the list` + "\n"},
		{"beta", `resilvet: no analyzer named "beta"; did you mean sample/beta?` + "\n"},
		{"bind", `resilvet: no analyzer named "bind"; did you mean other/bind or sample/bind?` + "\n"},
		{"sample/nosuch", `resilvet: sample has no rule "nosuch" (rules: hazard, marked, spawn, beta, broken, sleep, bind)` + "\n"},
	} {
		res := e2e.Run(t, dir, bin, "help", tc.arg)
		expectCode(t, res, 2)
		if res.Stderr != tc.want {
			t.Errorf("help %s: %q, want %q", tc.arg, res.Stderr, tc.want)
		}
	}
}

// TestVersion checks -version, the version command and the go command's
// -V=full handshake, whose build ID must be the binary's own.
func TestVersion(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := t.TempDir()
	want := regexp.MustCompile(`^resilvet \(devel\) go1\.\S+ \S+/\S+\nruntime source: ` + regexp.QuoteMeta(filepath.Join(e2e.RepoRoot(t), "runtime")) + `\n$`)
	for _, args := range [][]string{{"-version"}, {"version"}} {
		res := e2e.Run(t, dir, bin, args...)
		expectCode(t, res, 0)
		if !want.MatchString(res.Stdout) {
			t.Errorf("%v: %q", args, res.Stdout)
		}
	}
	res := e2e.Run(t, dir, bin, "-V=full")
	expectCode(t, res, 0)
	m := regexp.MustCompile(`^sampletool version devel go1\.\S+ buildID=(\S+)\n$`).FindStringSubmatch(res.Stdout)
	if m == nil {
		t.Fatalf("-V=full: %q", res.Stdout)
	}
	id := e2e.Run(t, dir, "go", "tool", "buildid", bin)
	if strings.TrimSpace(id.Stdout) != m[1] {
		t.Errorf("-V=full says buildID=%s, go tool buildid says %s", m[1], id.Stdout)
	}
}

// TestVetFlagForms runs go vet with the flag forms users write — a value in
// the next argument — through a wrapper that records the exact argv the go
// command passes, and checks that resilvet speaks the protocol for each,
// with the rule in every message (issue 12, items 4 and 11).
func TestVetFlagForms(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	mod := fixture(t, "mod")
	log := filepath.Join(t.TempDir(), "argv")
	wrapper := filepath.Join(t.TempDir(), "vettool")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nprintf '%s\\n' \"$*\" >> "+log+"\nexec "+bin+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		argv string // how the go command passes the flags, before the .cfg
		want string
	}{
		{[]string{"-tags", "special", "./tagged"}, "-tags special -json ", "tagged/t.go:7:12: call to Hazard is hazardous (sample/hazard)"},
		{[]string{"-sample.rules", "+beta", "./b"}, "-sample.rules +beta -json ", "b/b.go:5:6: function named Beta (sample/beta)"},
	} {
		os.Remove(log)
		res := e2e.Run(t, mod, "go", append([]string{"vet", "-vettool=" + wrapper}, tc.args...)...)
		expectCode(t, res, 1)
		if !strings.Contains(res.Stderr, tc.want+"\n") || strings.Contains(res.Stderr, "outside main module") {
			t.Errorf("go vet %v:\n%s", tc.args, res.Stderr)
		}
		argv := readFile(t, log)
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(tc.argv) + `\S+/vet\.cfg$`).MatchString(argv) {
			t.Errorf("go vet %v: the go command passed\n%s\nnot %q…/vet.cfg: update the test and parseVetCall", tc.args, argv, tc.argv)
		}
	}
}

// TestSARIFRoots checks the SARIF run's tool version, its invocation, and
// that every artifact URI is relative to a base the run states, also for a
// ../ pattern, and that a run with load errors says so (issue 12, item 8).
func TestSARIFRoots(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	mod := fixture(t, "mod")
	type sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Version, SemanticVersion string }
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI, URIBaseID string }
							Region           struct{ StartLine int }
						}
					}
				}
			}
			OriginalURIBaseIDs map[string]struct{ URI string }
			Results            []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
					}
				}
			}
		}
	}
	parse := func(out string) sarif {
		var s sarif
		if err := json.Unmarshal([]byte(out), &s); err != nil || len(s.Runs) != 1 {
			t.Fatalf("SARIF: %v\n%s", err, out)
		}
		return s
	}

	res := e2e.Run(t, filepath.Join(mod, "b"), bin, "-sarif", "../a", ".")
	expectCode(t, res, 1)
	run := parse(res.Stdout).Runs[0]
	if d := run.Tool.Driver; d.Version != "(devel)" || d.SemanticVersion != "0.0.0-devel" {
		t.Errorf("tool version %q, semanticVersion %q", d.Version, d.SemanticVersion)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Errorf("invocations: %+v", run.Invocations)
	}
	if got, want := run.OriginalURIBaseIDs["%SRCROOT%"].URI, "file://"+filepath.ToSlash(mod)+"/"; got != want {
		t.Errorf("%%SRCROOT%% is %q, want %q", got, want)
	}
	uris := make(map[string]bool)
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URIBaseID != "%SRCROOT%" || strings.Contains(loc.URI, ":") || strings.HasPrefix(loc.URI, "/") || strings.HasPrefix(loc.URI, "..") {
			t.Errorf("location %+v is not relative to %%SRCROOT%%", loc)
		}
		uris[loc.URI] = true
	}
	if !uris["a/a.go"] || !uris["b/b.go"] {
		t.Errorf("URIs %v, want a/a.go and b/b.go", uris)
	}

	res = e2e.Run(t, fixture(t, "typeerr"), bin, "-sarif", "./...")
	expectCode(t, res, 2)
	inv := parse(res.Stdout).Runs[0].Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 1 {
		t.Fatalf("invocations of a run that did not load: %+v", inv)
	}
	n := inv[0].ToolExecutionNotifications[0]
	if !strings.Contains(n.Message.Text, "cannot use") || len(n.Locations) != 1 ||
		n.Locations[0].PhysicalLocation.ArtifactLocation.URI != "typeerr.go" || n.Locations[0].PhysicalLocation.Region.StartLine != 4 {
		t.Errorf("notification %+v", n)
	}
}

// TestProgress checks that progress is drawn on a terminal and nowhere
// else, and that a run closes with its summary line (issue 12, item 7).
func TestProgress(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to give the command a terminal")
	}
	mod := fixture(t, "mod")
	res := e2e.Run(t, mod, bin, "./...")
	if strings.Contains(res.Stderr, "\r") || strings.Contains(res.Stderr, "loading") {
		t.Errorf("progress drawn where stderr is not a terminal:\n%q", res.Stderr)
	}
	const summary = "resilvet: 7 findings in 3 packages (3 with a fix: resilvet -fix applies them); 1 rule off, see resilvet help\n"
	if !strings.HasSuffix(res.Stderr, summary) {
		t.Errorf("stderr does not end with the summary:\n%s", res.Stderr)
	}
	// script(1) runs the command on a pseudo-terminal and copies what it
	// writes there to its own standard output.
	res = e2e.Run(t, mod, script, "-qec", bin+" ./...", os.DevNull)
	if !strings.Contains(res.Stdout, "\r\x1b[Kresilvet: loading packages (") || !regexp.MustCompile(`\r\x1b\[Kresilvet: analysing: \d+ of \d+ packages`).MatchString(res.Stdout) {
		t.Errorf("no progress on a terminal:\n%q", res.Stdout)
	}
	if !strings.Contains(res.Stdout, strings.TrimSuffix(summary, "\n")) {
		t.Errorf("no summary on a terminal:\n%q", res.Stdout)
	}
}
