package main

import (
	"go/build"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resilvet/resilvet/internal/e2e"
)

func TestParseRecipe(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      *program // nil: not a program
		why       string   // with want nil: the reason it is left out ("" if not a run test)
	}{
		{"a.go", "// run\n\npackage main\n", &program{Name: "a.go", GoLine: "1.26"}, ""},
		{"a.go", "// errorcheck\n\npackage main\n", nil, ""},
		{"a.go", "// runoutput\n\npackage main\n", nil, ""},
		{"a.go", "//go:build !windows\n\n// run\n\npackage main\n", &program{Name: "a.go", GoLine: "1.26"}, ""},
		{"a.go", "//go:build windows\n\n// run\n\npackage main\n", nil, "excluded on linux/amd64 by //go:build windows"},
		{"a.go", "// run\n\n//go:build plan9\n\npackage main\n", nil, "excluded on linux/amd64 by //go:build plan9"},
		{"a.go", "// run -race -gcflags=all=-d=checkptr=0\n\npackage main\n",
			&program{Name: "a.go", GoLine: "1.26", Flags: []string{"-race", "-gcflags=all=-d=checkptr=0"}}, ""},
		{"a.go", "// run -gcflags='all=-N -l'\n\npackage main\n",
			&program{Name: "a.go", GoLine: "1.26", Flags: []string{"-gcflags=all=-N -l"}}, ""},
		{"a.go", "// run -goexperiment fieldtrack -godebug x=1\n\npackage main\n",
			&program{Name: "a.go", GoLine: "1.26", Env: []string{"GOEXPERIMENT=fieldtrack", "GODEBUG=x=1"}}, ""},
		{"a.go", "// run arg1 arg2\n\npackage main\n", &program{Name: "a.go", GoLine: "1.26", Args: []string{"arg1", "arg2"}}, ""},
		{"a.go", "// run b.go\n\npackage main\n", &program{Name: "a.go", GoLine: "1.26", ExtraFiles: []string{"b.go"}}, ""},
		{"a.go", "// run -t 30\n\npackage main\n", &program{Name: "a.go", GoLine: "1.26", Timeout: 30}, ""},
		{"a.go", "// run -gcflags=-lang=go1.21\n\npackage main\n",
			&program{Name: "a.go", GoLine: "1.21", Flags: []string{"-gcflags=-lang=go1.21"}}, ""},
		{"a.go", "// run ../x/b.go\n\npackage main\n", nil, "names a file in another directory: ../x/b.go"},
	} {
		if strings.Contains(tc.why, "linux/amd64") && (build.Default.GOOS != "linux" || build.Default.GOARCH != "amd64") {
			continue // the reason names the platform
		}
		got, why := parseRecipe(tc.name, tc.src, "1.26")
		if tc.want == nil {
			if got != nil || why != tc.why {
				t.Errorf("%q: got %+v, %q; want nil, %q", tc.src, got, why, tc.why)
			}
			continue
		}
		if got == nil {
			t.Errorf("%q: not a program (%s)", tc.src, why)
			continue
		}
		if got.Name != tc.want.Name || got.GoLine != tc.want.GoLine || got.Timeout != tc.want.Timeout ||
			!slices.Equal(got.Flags, tc.want.Flags) || !slices.Equal(got.Env, tc.want.Env) ||
			!slices.Equal(got.Args, tc.want.Args) || !slices.Equal(got.ExtraFiles, tc.want.ExtraFiles) {
			t.Errorf("%q:\ngot  %+v\nwant %+v", tc.src, got, tc.want)
		}
	}
}

// TestSelectGOROOT selects from this toolchain's $GOROOT/test: the
// programs are the "// run" files, with .out files where the test has one.
func TestSelectGOROOT(t *testing.T) {
	goroot := goEnv("GOROOT")
	if _, err := os.Stat(filepath.Join(goroot, "test")); err != nil {
		t.Skip("this toolchain has no $GOROOT/test")
	}
	progs, skips, err := selectPrograms(filepath.Join(goroot, "test"), nil, "1.26")
	if err != nil {
		t.Fatal(err)
	}
	byName := make(map[string]*program)
	for _, p := range progs {
		byName[p.Name] = p
	}
	if len(progs) < 500 {
		t.Errorf("only %d programs", len(progs))
	}
	if p := byName["ken/chan.go"]; p == nil || p.Expected != nil || len(p.Flags) > 0 {
		t.Errorf("ken/chan.go: %+v, want a program with no .out and no flags", p)
	}
	if p := byName["helloworld.go"]; p == nil || p.Expected == nil || *p.Expected != "hello, world\n" {
		t.Errorf("helloworld.go: %+v, want a program that prints hello, world", p)
	}
	for name := range byName {
		if strings.Contains(name, ".dir/") {
			t.Errorf("%s: part of a directory test", name)
		}
	}
	for _, s := range skips {
		if s.why == "" {
			t.Errorf("%s left out for no reason", s.name)
		}
	}
}

func TestVetKeys(t *testing.T) {
	out := "# gotest\n./a.go:12:3: fmt.Printf format %d has arg \"x\" of wrong type string\na.go:3: unreachable code\n"
	got := vetKeys(out)
	want := []string{"a.go: fmt.Printf format %d has arg \"x\" of wrong type string", "a.go: unreachable code"}
	if !slices.Equal(got, want) {
		t.Errorf("vetKeys = %q, want %q", got, want)
	}
	if got := added([]string{"a", "b"}, []string{"a", "b", "b", "c"}); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("added = %q, want [b c]", got)
	}
}

// TestChecks runs the checks with stand-ins for resilvet whose fixes
// break a program in one way each: each check must catch its own, and a
// harmless fix must pass them all.
func TestChecks(t *testing.T) {
	root := e2e.RepoRoot(t)
	fake := e2e.Build(t, "github.com/resilvet/resilvet/bench/gotestfix/testdata/fakeresilvet")
	goroot := t.TempDir()
	writeFile(t, filepath.Join(goroot, "test", "hello.go"), "// run\n\npackage main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello\")\n}\n")
	writeFile(t, filepath.Join(goroot, "test", "hello.out"), "hello\n")
	progs, _, err := selectPrograms(filepath.Join(goroot, "test"), nil, langVersion(goEnv("GOVERSION")))
	if err != nil || len(progs) != 1 {
		t.Fatalf("selecting the program: %v, %d programs", err, len(progs))
	}
	p := progs[0]

	bins := t.TempDir()
	r, err := newRunner(root, goroot, "", t.TempDir(), false, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	dir, bin := filepath.Join(base, "src"), filepath.Join(base, "bin")
	if err := r.prepare(p, dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	orig := r.runOriginal(p, dir, bin, true)
	if !orig.Matches || !orig.raceClean() {
		t.Fatalf("the original does not pass: %+v", orig)
	}
	// Without a race-clean original the race check does not run: the
	// modes other than race need not pay for -race builds.
	racy := *orig
	racy.RaceReport = true

	for _, tc := range []struct {
		mode string
		want []string // checks that fail
	}{
		{"ok", nil},
		{"build", []string{"build", "vet"}}, // go vet reports the type error too
		{"vet", []string{"vet"}},
		{"output", []string{"output"}},
		{"race", []string{"race"}},
		{"idempotence", []string{"idempotence"}},
		{"exit", []string{"fix"}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			r := *r
			r.resilvet = filepath.Join(bins, "fakeresilvet-"+tc.mode)
			if err := os.Link(fake, r.resilvet); err != nil {
				data, err := os.ReadFile(fake)
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, r.resilvet, string(data))
				if err := os.Chmod(r.resilvet, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			base := t.TempDir()
			dir, bin := filepath.Join(base, "src"), filepath.Join(base, "bin")
			if err := r.prepare(p, dir); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(bin, 0o755); err != nil {
				t.Fatal(err)
			}
			o := &racy
			if tc.mode == "race" || tc.mode == "ok" {
				o = orig
			}
			n, offers, err := r.lint(p, dir, r.lintFlags)
			if err != nil || n != 1 || len(offers) != 1 || offers[0].Category != "fake/"+tc.mode {
				t.Fatalf("lint: %v, %d findings, offers %+v", err, n, offers)
			}
			applied, _, fails := r.fixAndCheck(p, dir, bin, o, r.lintFlags)
			var got []string
			for _, f := range fails {
				got = append(got, f.Check)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("failed checks %q, want %q: %+v", got, tc.want, fails)
			}
			if tc.mode != "exit" && applied != 1 {
				t.Errorf("%d fixes applied, want 1", applied)
			}
		})
	}
}

// TestCorpusSubset runs the whole check, with the real resilvet, on a few
// programs of $GOROOT/test that the strict profile fixes; with
// RESILVET_GOTESTFIX=all, on every program (what go run ./bench/gotestfix
// -strict does, hours on two cores).
func TestCorpusSubset(t *testing.T) {
	goroot := goEnv("GOROOT")
	if _, err := os.Stat(filepath.Join(goroot, "test", "ken", "chan.go")); err != nil {
		t.Skip("this toolchain has no $GOROOT/test/ken/chan.go")
	}
	bin := e2e.Binary(t)
	re := regexp.MustCompile(`^ken/chan\.go$`)
	if os.Getenv("RESILVET_GOTESTFIX") == "all" {
		re = nil
	}
	root := e2e.RepoRoot(t)
	r, err := newRunner(root, goroot, bin, t.TempDir(), true, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	progs, _, err := selectPrograms(filepath.Join(goroot, "test"), re, langVersion(goEnv("GOVERSION")))
	if err != nil {
		t.Fatal(err)
	}
	applied := 0
	for _, p := range progs {
		res := r.checkProgram(p, nil, false)
		applied += res.Applied
		if res.Skipped != "" {
			t.Logf("%s: %s", p.Name, res.Skipped)
		}
		for _, f := range res.Failures {
			t.Errorf("%s: %s (%s): %s", p.Name, checkTitle[f.Check], strings.Join(f.Rules, ", "), f.Detail)
		}
	}
	if applied == 0 {
		t.Errorf("no fix applied to %d programs: the subset no longer tests fixes; pick programs that have some", len(progs))
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSurvey: the survey's one resilvet -json run over all programs
// counts each program's findings and fixes, and leaves out (for linting on
// its own) a program that does not build there and one with recipe flags.
func TestSurvey(t *testing.T) {
	bin := e2e.Binary(t)
	root := e2e.RepoRoot(t)
	goroot := t.TempDir()
	writeFile(t, filepath.Join(goroot, "test", "spawn.go"), "// run\n\npackage main\n\nimport \"time\"\n\nfunc work() {}\n\nfunc main() {\n\tgo work()\n\ttime.Sleep(time.Millisecond)\n}\n")
	writeFile(t, filepath.Join(goroot, "test", "quiet.go"), "// run\n\npackage main\n\nfunc main() {}\n")
	writeFile(t, filepath.Join(goroot, "test", "broken.go"), "// run\n\npackage main\n\nfunc main() { x := 1 }\n")
	writeFile(t, filepath.Join(goroot, "test", "flags.go"), "// run -gcflags=-N\n\npackage main\n\nfunc main() {}\n")
	goLine := langVersion(goEnv("GOVERSION"))
	progs, _, err := selectPrograms(filepath.Join(goroot, "test"), nil, goLine)
	if err != nil || len(progs) != 4 {
		t.Fatalf("selecting the programs: %v, %d programs", err, len(progs))
	}
	r, err := newRunner(root, goroot, bin, t.TempDir(), true, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	survey, err := r.survey(progs, goLine)
	if err != nil {
		t.Fatal(err)
	}
	if s := survey["spawn.go"]; s == nil || s.Findings == 0 || s.Fixable == 0 {
		t.Errorf("spawn.go: %+v, want findings with a fix (the strict profile's untracked)", s)
	}
	if s := survey["quiet.go"]; s == nil || s.Findings != 0 {
		t.Errorf("quiet.go: %+v, want judged, no findings", s)
	}
	for _, name := range []string{"broken.go", "flags.go"} {
		if s, ok := survey[name]; ok {
			t.Errorf("%s: judged by the survey (%+v), want it left to be linted on its own", name, s)
		}
	}
}

// TestRender: the table counts programs, fixes and failures per check and
// per rule, and lists every failure with the rules that caused it.
func TestRender(t *testing.T) {
	out := "x\n"
	progs := []*program{{Name: "a.go", Expected: &out}, {Name: "b.go"}, {Name: "c.go"}}
	skips := []skip{{"w.go", "excluded on plan9/arm by //go:build windows"}}
	ok := run{Output: "x\n"}
	results := []*result{
		{Name: "a.go", Orig: &original{Build: ok, Run: ok, Matches: true}, Findings: 2,
			Offers: []offer{{Category: "fireforget/untracked", Line: 3, Fix: "Start it with task.Go"}}, Applied: 2,
			Failures: []failure{{Check: "output", Detail: "line 1: got \"y\", want \"x\"", Rules: []string{"fireforget/untracked"}}}},
		{Name: "b.go", Orig: &original{Build: ok, Run: ok, Matches: true}, Findings: 1,
			Offers: []offer{{Category: "unshielded/detached-call", Line: 7, Fix: "Use DialContext"}}, Applied: 1},
		{Name: "c.go", Findings: 1, Surveyed: true},
	}
	if n := unexpected(results, nil); n != 1 {
		t.Errorf("unexpected(no known limits) = %d, want 1", n)
	}
	known := regexp.MustCompile(`^a\.go$`)
	if n := unexpected(results, known); n != 0 {
		t.Errorf("unexpected(a.go known) = %d, want 0", n)
	}
	got := render(progs, skips, results, reportInfo{invocation: "go run ./bench/gotestfix", survey: true, known: known})
	for _, want := range []string{
		"| `// run` programs | 3 (1 with a .out file, 2 that must print nothing) |",
		"| `// run` files left out | 1 (1 excluded by build constraints, 0 other) |",
		"| originals run | 2 |",
		"| with findings | 3 |",
		"| with fixes offered | 2 |",
		"| fixes offered / applied | 2 / 3 |",
		"| prints something else after -fix | **1** |",
		"| does not build after -fix | 0 |",
		"| programs with a failure | 1 |",
		"| fireforget/untracked | 1 | 1 | 1 |",
		"| unshielded/detached-call | 1 | 1 | 0 |",
		"- `a.go` (a known limit, see below): fixes fireforget/untracked line 3 (\"Start it with task.Go\")",
		"prints something else after -fix (fireforget/untracked alone)",
		`line 1: got "y", want "x"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "`b.go`") {
		t.Errorf("b.go, which passed, is listed:\n%s", got)
	}
}
