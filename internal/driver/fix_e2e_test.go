package driver_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

const runtimeModule = "github.com/resilvet/resilvet/runtime"

// expectBuilds checks that the module in dir builds offline, with go.mod
// and go.sum as they are (-mod=readonly).
func expectBuilds(t *testing.T, dir string, env ...string) {
	t.Helper()
	if res := e2e.RunEnv(t, dir, append([]string{"GOFLAGS=-mod=readonly"}, env...), "go", "build", "./..."); res.Code != 0 {
		t.Errorf("go build after -fix:\n%s", res.Stderr)
	}
}

// expectVets checks that go vet finds nothing in the module in dir.
func expectVets(t *testing.T, dir string) {
	t.Helper()
	if res := e2e.Run(t, dir, "go", "vet", "./..."); res.Code != 0 {
		t.Errorf("go vet after -fix:\n%s", res.Stderr)
	}
}

// expectTidy checks that go mod tidy would change neither go.mod nor go.sum.
func expectTidy(t *testing.T, dir string, env ...string) {
	t.Helper()
	if res := e2e.RunEnv(t, dir, env, "go", "mod", "tidy", "-diff"); res.Code != 0 {
		t.Errorf("go mod tidy would change the module after -fix:\n%s%s", res.Stdout, res.Stderr)
	}
}

// lines returns the lines of s that contain substr.
func lines(s, substr string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return out
}

// TestFixOutsideRepoDevBuild runs a development build's -fix on a module
// outside the repository that neither requires nor replaces the runtime:
// the runtime fix is applied with a requirement and a replace to the
// runtime source the build came from, said on stderr, and the module then
// builds offline, vets and is tidy (issue 12, items 1, 2 and 14). Lines no
// fix touched keep their formatting (issue 13, minor). -fix -diff, run
// first, shows exactly what -fix then writes, go.mod and go.sum included,
// and reports the same (issue 12, item 3).
func TestFixOutsideRepoDevBuild(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	e2e.RuntimeSums(t)
	dir := fixture(t, "svc")
	originals := map[string]string{}
	for _, f := range []string{"svc.go", "go.mod", "go.sum"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		originals[f] = string(data)
	}

	diff := e2e.Run(t, dir, bin, "-fix", "-diff", "./...")
	expectCode(t, diff, 1)
	for f, c := range originals {
		if data, _ := os.ReadFile(filepath.Join(dir, f)); string(data) != c {
			t.Fatalf("-fix -diff wrote %s", f)
		}
	}
	patched := applyUnifiedDiff(t, diff.Stdout, originals)

	res := e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 0)
	for f := range originals {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		if patched[f] != string(data) {
			t.Errorf("%s: -fix wrote\n%s\nbut -fix -diff showed\n%s", f, data, patched[f])
		}
	}
	// The same report, but for the tense.
	norm := func(s string) string {
		s = strings.ReplaceAll(s, "would apply", "applied")
		return strings.ReplaceAll(s, "-fix would write ", "")
	}
	if norm(diff.Stderr) != norm(res.Stderr) {
		t.Errorf("-fix -diff reported\n%s\nbut -fix\n%s", diff.Stderr, res.Stderr)
	}

	runtimeDir := filepath.Join(e2e.RepoRoot(t), "runtime")
	gomod := readFile(t, filepath.Join(dir, "go.mod"))
	for _, want := range []string{
		"require " + runtimeModule + " v0.0.0-00010101000000-000000000000\n",
		"replace " + runtimeModule + " => " + runtimeDir + "\n",
	} {
		if !strings.Contains(gomod, want) {
			t.Errorf("go.mod lacks %q:\n%s", want, gomod)
		}
	}
	if got := lines(res.Stderr, "replaced by "+runtimeDir); len(got) != 1 || !strings.Contains(got[0], "development build") {
		t.Errorf("stderr does not say, once, where the runtime comes from:\n%s", res.Stderr)
	}
	src := readFile(t, filepath.Join(dir, "svc.go"))
	if !strings.Contains(src, "task.Go(") || !strings.Contains(src, "\tSafe()\n") {
		t.Errorf("svc.go was not fixed:\n%s", src)
	}
	if want := "\tx := 1   +  2 // the user's own spacing: no fix touches this line\n"; !strings.Contains(src, want) || !strings.Contains(originals["svc.go"], want) {
		t.Errorf("a line no fix touched was reformatted:\n%s", src)
	}
	expectBuilds(t, dir)
	expectVets(t, dir)
	expectTidy(t, dir)

	// A fixed point.
	res = e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 0)
	if strings.Contains(res.Stderr, "applied") || readFile(t, filepath.Join(dir, "go.mod")) != gomod {
		t.Errorf("second -fix changed something:\n%s", res.Stderr)
	}
}

// applyUnifiedDiff applies a diff printed by -fix -diff to files (by name
// relative to the module) and returns the results.
func applyUnifiedDiff(t *testing.T, diff string, files map[string]string) map[string]string {
	t.Helper()
	out := make(map[string]string)
	for f, c := range files {
		out[f] = c
	}
	hunkRE := regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@`)
	var name string
	var old []string // the file being patched, by line
	var res []string
	next := 0 // next line of old to copy
	flush := func() {
		if name != "" {
			res = append(res, old[next:]...)
			out[name] = strings.Join(res, "")
		}
	}
	for _, l := range strings.SplitAfter(diff, "\n") {
		switch {
		case l == "":
		case strings.HasPrefix(l, "--- "):
			flush()
			name = strings.TrimSuffix(strings.TrimPrefix(l, "--- "), " (old)\n")
			old = strings.SplitAfter(out[name], "\n")
			if old[len(old)-1] == "" {
				old = old[:len(old)-1]
			}
			res, next = nil, 0
		case strings.HasPrefix(l, "+++ "):
		case strings.HasPrefix(l, "@@"):
			m := hunkRE.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("bad hunk header %q", l)
			}
			start, _ := strconv.Atoi(m[1])
			if m[2] != "0" {
				start-- // 1-based; an empty range names the line before
			}
			res = append(res, old[next:start]...)
			next = start
		case l[0] == ' ':
			res = append(res, old[next])
			next++
		case l[0] == '-':
			next++
		case l[0] == '+':
			res = append(res, l[1:])
		case strings.HasPrefix(l, `\ No newline`):
			res[len(res)-1] = strings.TrimSuffix(res[len(res)-1], "\n")
		}
	}
	flush()
	return out
}

// TestFixRuntimeRefused checks every case in which the runtime requirement
// cannot be met: nothing of the runtime fixes is written, go.mod is left
// as it was, the standard-library fixes are applied, the module still
// builds, and one line says what to do (issue 12, items 1 and 2; issue 13,
// items 4 and 5).
func TestFixRuntimeRefused(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	for _, tc := range []struct {
		name    string
		fixture string
		prepare func(t *testing.T, dir string)
		args    []string
		reason  string // regexp for the one line; "" for none
		env     []string
	}{
		{"runtimefixes=false", "svc", nil, []string{"-runtimefixes=false"}, "", nil},
		{"go line below the runtime's", "svc", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "go.mod"), "module example.com/svc\n\ngo 1.20\n")
		}, nil, `go\.mod says go 1\.20 and the runtime module needs go 1\.21: -fix does not raise a go line.*go mod edit -go=1\.21`, nil},
		{"no runtime at -runtime", "svc", nil, []string{"-runtime", "/nonexistent"}, `-runtime /nonexistent: /nonexistent is not the runtime module's directory`, nil},
		// The line names what the user set, not a flag they did not give.
		{"no runtime at $RESILVET_RUNTIME", "svc", nil, nil, `: \$RESILVET_RUNTIME /nonexistent: /nonexistent is not the runtime module's directory`, []string{"RESILVET_RUNTIME=/nonexistent"}},
		{"vendored", "shape", func(t *testing.T, dir string) {
			if res := e2e.Run(t, dir, "go", "mod", "vendor"); res.Code != 0 {
				t.Fatalf("go mod vendor: %s", res.Stderr)
			}
		}, nil, `the module vendors its dependencies \(vendor/modules\.txt\) and -fix does not run go mod vendor: go get ` + regexp.QuoteMeta(runtimeModule) + `@VERSION && go mod vendor`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t, tc.fixture)
			if tc.prepare != nil {
				tc.prepare(t, dir)
			}
			gomod := readFile(t, filepath.Join(dir, "go.mod"))
			res := e2e.RunEnv(t, dir, tc.env, bin, append(append([]string{"-fix"}, tc.args...), "./...")...)
			expectCode(t, res, 1) // the go statement is left
			if got := readFile(t, filepath.Join(dir, "go.mod")); got != gomod {
				t.Errorf("go.mod changed:\n%s", got)
			}
			if _, err := os.Stat(filepath.Join(dir, "go.sum")); err == nil && tc.fixture == "svc" {
				t.Errorf("go.sum was written")
			}
			refusals := lines(res.Stderr, "runtime fixes not applied")
			switch {
			case tc.reason == "" && len(refusals) != 0:
				t.Errorf("-runtimefixes=false: stderr explains what was asked for:\n%s", res.Stderr)
			case tc.reason != "" && (len(refusals) != 1 || !regexp.MustCompile(tc.reason).MatchString(refusals[0])):
				t.Errorf("want one line matching %s, got:\n%s", tc.reason, res.Stderr)
			}
			if !strings.Contains(res.Stdout, "goroutine started here is never waited for (sample/spawn)") {
				t.Errorf("the go statement's finding is not left:\n%s", res.Stdout)
			}
			for _, f := range []string{"svc.go", "app/app.go"} {
				if src, err := os.ReadFile(filepath.Join(dir, f)); err == nil && strings.Contains(string(src), "runtime/task") {
					t.Errorf("%s imports the runtime:\n%s", f, src)
				}
			}
			if tc.fixture == "svc" && !strings.Contains(readFile(t, filepath.Join(dir, "svc.go")), "\tSafe()\n") {
				t.Errorf("the standard-library fix was not applied")
			}
			expectBuilds(t, dir)
		})
	}

	// Files in no module: the standard-library fixes only.
	t.Run("no module", func(t *testing.T) {
		dir := t.TempDir()
		src := strings.Replace(readFile(t, filepath.Join("testdata", "svc", "svc.go")), "package svc", "package main", 1) + "\nfunc main() {}\n"
		write(t, filepath.Join(dir, "x.go"), src)
		res := e2e.Run(t, dir, bin, "-fix", "x.go")
		expectCode(t, res, 1)
		if got := lines(res.Stderr, "runtime fixes not applied"); len(got) != 1 || !strings.Contains(got[0], "the packages are in no module: runtime fixes need one (go mod init)") {
			t.Errorf("stderr:\n%s", res.Stderr)
		}
		fixed := readFile(t, filepath.Join(dir, "x.go"))
		if strings.Contains(fixed, "runtime/task") || !strings.Contains(fixed, "\tSafe()\n") {
			t.Errorf("x.go:\n%s", fixed)
		}
		if res := e2e.Run(t, dir, "go", "build", "-o", os.DevNull, "x.go"); res.Code != 0 {
			t.Errorf("go build x.go: %s", res.Stderr)
		}
	})
}

// TestFixReleasedBuild checks a released build: it requires the runtime at
// its own version, through the module proxy (here a file:// proxy serving
// the repository's runtime as that version, and a module cache of the
// test's own), and refuses with one line when the proxy cannot provide it.
func TestFixReleasedBuild(t *testing.T) {
	t.Parallel()
	const v = "v0.9.0"
	bin := e2e.BuildWith(t, "github.com/resilvet/resilvet/internal/driver/testdata/sampletool",
		"-ldflags=-X=github.com/resilvet/resilvet/internal/driver.releaseVersion="+v)
	if res := e2e.Run(t, t.TempDir(), bin, "version"); !strings.HasPrefix(res.Stdout, "resilvet "+v+" go") {
		t.Fatalf("version: %q", res.Stdout)
	}
	// GOSUMDB=off: the checksum database knows neither this runtime version nor,
	// offline, anything else.
	modcache := []string{"GOMODCACHE=" + t.TempDir(), "GOFLAGS=-modcacherw", "GOSUMDB=off"}

	t.Run("available", func(t *testing.T) {
		dir := fixture(t, "svc")
		env := append([]string{"GOPROXY=" + e2e.RuntimeProxy(t, v)}, modcache...)
		res := e2e.RunEnv(t, dir, env, bin, "-fix", "./...")
		expectCode(t, res, 0)
		gomod := readFile(t, filepath.Join(dir, "go.mod"))
		if !strings.Contains(gomod, "require "+runtimeModule+" "+v+"\n") || strings.Contains(gomod, "replace") {
			t.Errorf("go.mod:\n%s\nstderr:\n%s", gomod, res.Stderr)
		}
		if sum := readFile(t, filepath.Join(dir, "go.sum")); !strings.Contains(sum, runtimeModule+" "+v+" h1:") {
			t.Errorf("go.sum lacks the runtime:\n%s", sum)
		}
		offline := append([]string{"GOPROXY=off"}, modcache...)
		expectBuilds(t, dir, offline...)
		expectTidy(t, dir, offline...)
	})
	t.Run("not available", func(t *testing.T) {
		dir := fixture(t, "svc")
		env := append([]string{"GOPROXY=off", "GOMODCACHE=" + t.TempDir()}, modcache[1:]...)
		res := e2e.RunEnv(t, dir, env, bin, "-fix", "./...")
		expectCode(t, res, 1)
		want := regexp.QuoteMeta(runtimeModule+"@"+v+" cannot be had (") + `.*GOPROXY=off\): make it reachable`
		if got := lines(res.Stderr, "runtime fixes not applied"); len(got) != 1 || !regexp.MustCompile(want).MatchString(got[0]) {
			t.Errorf("stderr:\n%s", res.Stderr)
		}
		if gomod := readFile(t, filepath.Join(dir, "go.mod")); gomod != "module example.com/svc\n\ngo 1.22\n" {
			t.Errorf("go.mod changed:\n%s", gomod)
		}
		if !strings.Contains(readFile(t, filepath.Join(dir, "svc.go")), "\tSafe()\n") {
			t.Errorf("the standard-library fix was not applied")
		}
	})
}

// TestFixGoModShape checks that the requirement goes into the module's one
// require block, direct, and that go mod tidy would change nothing (issue
// 12, item 14).
func TestFixGoModShape(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	e2e.RuntimeSums(t)
	dir := fixture(t, "shape")
	res := e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 0)
	gomod := readFile(t, filepath.Join(dir, "go.mod"))
	if strings.Count(gomod, "require") != 1 || strings.Contains(gomod, "indirect") ||
		!strings.Contains(gomod, "require (\n\texample.com/dep v0.0.0\n\t"+runtimeModule+" v0.0.0-00010101000000-000000000000\n)") {
		t.Errorf("go.mod:\n%s", gomod)
	}
	if strings.Contains(res.Stderr, "go: ") {
		t.Errorf("the go command's messages leak:\n%s", res.Stderr)
	}
	expectBuilds(t, dir)
	expectTidy(t, dir)
}

// TestFixOneAnalyzerPerDecl checks that the fixes of two analyzers in one
// function are applied in separate rounds, so that the second chooses its
// names in the code the first wrote: in one round, `fn, v := UseB, Next()`
// would build and silently reuse the first fix's v (issue 13, item 1). The
// first round's runtime fix still gets its go.mod requirement, though a
// later round changes the file again.
func TestFixOneAnalyzerPerDecl(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := fixture(t, "bind")
	res := e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 0)
	want := "func F() {\n\tv := Next()\n\tUseA(v)\n\ttask.Go(context.Background(), \"work\", func(context.Context) error { work(); return nil })\n\tfn, v2 := UseB, Next()\n\tfn(v2)\n}\n"
	if src := readFile(t, filepath.Join(dir, "bind.go")); !strings.HasSuffix(src, want) {
		t.Errorf("bind.go:\n%s\nwant it to end with:\n%s", src, want)
	}
	if !strings.Contains(res.Stderr, "applied 3 fixes to 1 file in 2 rounds") {
		t.Errorf("stderr:\n%s", res.Stderr)
	}
	if gomod := readFile(t, filepath.Join(dir, "go.mod")); !strings.Contains(gomod, "require "+runtimeModule) {
		t.Errorf("go.mod:\n%s", gomod)
	}
	expectBuilds(t, dir)
}

// TestFixRollback checks that a fix whose result does not build is rolled
// back alone, at the fix: reported as a finding-level message naming the
// diagnostic and the compile error, while the other fixes — in its file
// too — are applied and the module builds; -fix -diff reports the same
// (issue 13, item 8).
func TestFixRollback(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := fixture(t, "rollback")
	diff := e2e.Run(t, dir, bin, "-fix", "-diff", "./...")
	res := e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 1) // the call to Breaks is left
	want := "x.go:8:2: fix not applied: with it the code does not build (please report it): call to Breaks (sample/broken): x.go:8:2: undefined: NoSuchFunc"
	if got := lines(res.Stderr, "fix not applied"); len(got) != 1 || got[0] != want {
		t.Errorf("stderr:\n%s\nwant the line:\n%s", res.Stderr, want)
	}
	if got := lines(diff.Stderr, "fix not applied"); len(got) != 1 || got[0] != want {
		t.Errorf("-fix -diff stderr:\n%s", diff.Stderr)
	}
	x, y := readFile(t, filepath.Join(dir, "x.go")), readFile(t, filepath.Join(dir, "y.go"))
	if !strings.Contains(x, "\tBreaks()\n\tSafe()\n") || !strings.Contains(y, "func G() { Safe() }") {
		t.Errorf("x.go:\n%s\ny.go:\n%s", x, y)
	}
	if !strings.Contains(res.Stdout, "x.go:8:2: call to Breaks (sample/broken)") {
		t.Errorf("the finding of the dropped fix is not left:\n%s", res.Stdout)
	}
	expectBuilds(t, dir)
}

// TestFixImportsByUse checks that an import the fixes made unused is
// removed although a local of the same name is used elsewhere in the file
// (issue 13, item 7).
func TestFixImportsByUse(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := fixture(t, "sleep")
	res := e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 0)
	src := readFile(t, filepath.Join(dir, "sleep.go"))
	if strings.Contains(src, `"time"`) || !strings.Contains(src, "\tpause(1)\n") {
		t.Errorf("sleep.go:\n%s\nstderr:\n%s", src, res.Stderr)
	}
	expectBuilds(t, dir)
}

// TestFixReadOnly checks that -fix never replaces a file the user may not
// write — one without write permission, even for root, as gofmt -w and
// editors treat it — and names it (issue 12, item 5).
func TestFixReadOnly(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	dir := fixture(t, "readonly")
	ro := filepath.Join(dir, "ro.go")
	before := readFile(t, ro)
	if err := os.Chmod(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	res := e2e.Run(t, dir, bin, "-fix", "./...")
	expectCode(t, res, 1)
	if got := readFile(t, ro); got != before {
		t.Errorf("ro.go was replaced:\n%s", got)
	}
	if fi, err := os.Stat(ro); err != nil || fi.Mode().Perm() != 0o444 {
		t.Errorf("ro.go's mode: %v %v", fi.Mode(), err)
	}
	if !strings.Contains(res.Stderr, "resilvet: 1 fix skipped: they edit read-only files (ro.go)") {
		t.Errorf("stderr:\n%s", res.Stderr)
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "rw.go")), "Safe()") {
		t.Errorf("rw.go was not fixed")
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFixPermissionsAsAnotherUser runs -fix as an unprivileged user (with
// setpriv, when the tests run as root) on files another user owns: a file
// the user may not write is skipped and named, not replaced by renaming
// over it; a file it may write, in a directory it may not, is written in
// place, with no temporary file named in an error (issue 12, item 5).
func TestFixPermissionsAsAnotherUser(t *testing.T) {
	t.Parallel()
	bin := sampleTool(t)
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv(1) to run as another user")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	dir := fixture(t, "readonly")
	home := t.TempDir()
	tool := filepath.Join(t.TempDir(), "sampletool")
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	write(t, tool, string(data))
	// The fixture and the tool are root's; the user may read and run them,
	// write rw.go, and nothing else.
	for _, d := range []string{dir, filepath.Dir(dir), home, filepath.Dir(home), filepath.Dir(tool), filepath.Dir(filepath.Dir(tool))} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, mode := range map[string]os.FileMode{tool: 0o755, filepath.Join(dir, "rw.go"): 0o666, home: 0o777} {
		if err := os.Chmod(name, mode); err != nil {
			t.Fatal(err)
		}
	}
	ro := readFile(t, filepath.Join(dir, "ro.go"))
	res := e2e.RunEnv(t, dir, []string{"HOME=" + home, "GOCACHE=" + filepath.Join(home, "cache"), "GOPATH=" + filepath.Join(home, "go"), "GOFLAGS=",
		"PATH=" + filepath.Dir(goBin) + ":/usr/bin:/bin"},
		setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", tool, "-fix", "./...")
	expectCode(t, res, 1)
	if !strings.Contains(res.Stderr, "resilvet: 1 fix skipped: they edit read-only files (ro.go)") || strings.Contains(res.Stderr, ".resilvet-") {
		t.Errorf("stderr:\n%s", res.Stderr)
	}
	if readFile(t, filepath.Join(dir, "ro.go")) != ro {
		t.Errorf("ro.go, which the user may not write, was replaced")
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "rw.go")), "Safe()") {
		t.Errorf("rw.go was not fixed in place")
	}
}
