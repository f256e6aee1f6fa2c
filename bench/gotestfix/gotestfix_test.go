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
	os.MkdirAll(bin, 0o755)
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
				os.Chmod(r.resilvet, 0o755)
			}
			base := t.TempDir()
			dir, bin := filepath.Join(base, "src"), filepath.Join(base, "bin")
			if err := r.prepare(p, dir); err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(bin, 0o755)
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
