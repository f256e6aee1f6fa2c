package driver

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/analyzers/ignore"
	"github.com/resilvet/resilvet/internal/driver/testdata/sampletool/other"
	"github.com/resilvet/resilvet/internal/driver/testdata/sampletool/sample"
	"github.com/resilvet/resilvet/internal/e2e"
	"github.com/resilvet/resilvet/internal/lint"
)

func resilvetSuite() []*analysis.Analyzer { return resilvet.Suite }

// fixture copies testdata/name to a temporary directory, and makes the go
// command see it as the end-to-end tests' commands do.
func fixture(t *testing.T, name string) string {
	t.Helper()
	t.Setenv("GOWORK", "off")
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOTOOLCHAIN", "local")
	return e2e.CopyModule(t, filepath.Join("testdata", name))
}

// e2eCommand is the command e2e.RunEnv runs, to start and kill.
func e2eCommand(dir, bin string, env ...string) *exec.Cmd {
	cmd := exec.Command(bin, "-json", "./...")
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local"), env...)
	return cmd
}

// sampleSuite is sampletool's suite: sample exports facts and reports
// across packages, with related locations and fixes; ignore reports the
// directives that suppressed nothing.
func sampleSuite() []*analysis.Analyzer {
	analyzers := []*analysis.Analyzer{other.Analyzer, sample.Analyzer}
	return append([]*analysis.Analyzer{ignore.New(analyzers)}, analyzers...)
}

// testOptions parses args as the command does.
func testOptions(t *testing.T, suite []*analysis.Analyzer, args ...string) *options {
	t.Helper()
	o, _, err := parseFlags(suite, args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// render prints out in every format the command has.
func render(t *testing.T, o *options, out *outcome) string {
	t.Helper()
	if len(out.loadErrs)+len(out.analysErrs) > 0 {
		t.Fatalf("errors: %v %v", out.loadErrs, out.analysErrs)
	}
	var b bytes.Buffer
	printText(&b, out.findings, 1)
	if err := printJSON(&b, out.findings, out.analysErrs); err != nil {
		t.Fatal(err)
	}
	if err := printSARIF(&b, o.analyzers, out, out.findings); err != nil {
		t.Fatal(err)
	}
	for _, f := range out.findings {
		b.WriteString(f.pkgID + " " + f.function + "\n")
	}
	return b.String()
}

// wholeGraph is the output of the whole-graph driver.
func wholeGraph(t *testing.T, suite []*analysis.Analyzer, patterns []string, args ...string) string {
	t.Helper()
	o := testOptions(t, suite, args...)
	out, err := analyze(o, patterns, loadConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return render(t, o, out)
}

// incremental is the output of the incremental driver with cache c (nil:
// off) and its counts of packages analysed and read from the cache.
func incremental(t *testing.T, suite []*analysis.Analyzer, c *resultCache, patterns []string, args ...string) (string, int, int) {
	t.Helper()
	o := testOptions(t, suite, args...)
	out, err := analyzeIncremental(o, patterns, c)
	if err != nil {
		t.Fatalf("incremental driver: %v", err) // errFallback too: these packages must not need it
	}
	return render(t, o, out), out.analysed, out.fromCache
}

// appendFile appends text to the file name.
func appendFile(t *testing.T, name, text string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func testCache(t *testing.T) *resultCache {
	t.Helper()
	c, err := openCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestIncrementalSameFindings checks that the incremental driver reports
// what the whole-graph driver does, with the cache off, from an empty
// cache and from a full one, in every output format, on a module whose
// packages pass facts to each other, with and without test variants, and
// on a cgo package (its compiled files' //line directives).
func TestIncrementalSameFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	for _, name := range []string{"mod", "cgo"} {
		t.Run(name, func(t *testing.T) { testSameFindings(t, name) })
	}
}

func testSameFindings(t *testing.T, name string) {
	t.Chdir(fixture(t, name))
	for _, args := range [][]string{nil, {"-sample.tests", "-other.tests"}} {
		want := wholeGraph(t, sampleSuite(), []string{"./..."}, args...)
		if !strings.Contains(want, "sample/") {
			t.Fatalf("%v: the fixture reports nothing:\n%s", args, want)
		}
		got, analysed, _ := incremental(t, sampleSuite(), nil, []string{"./..."}, args...)
		if got != want {
			t.Errorf("%v, cache off: differs from the whole-graph driver:\n--- got\n%s\n--- want\n%s", args, got, want)
		}
		c := testCache(t)
		got, cold, hits := incremental(t, sampleSuite(), c, []string{"./..."}, args...)
		if got != want || cold != analysed || hits != 0 {
			t.Errorf("%v, empty cache: %d analysed, %d from the cache (want %d, 0); output same: %v", args, cold, hits, analysed, got == want)
		}
		got, warm, hits := incremental(t, sampleSuite(), c, []string{"./..."}, args...)
		if got != want || warm != 0 || hits != analysed {
			t.Errorf("%v, full cache: %d analysed, %d from the cache (want 0, %d); output same: %v", args, warm, hits, analysed, got == want)
			if got != want {
				t.Errorf("--- got\n%s\n--- want\n%s", got, want)
			}
		}
	}
}

// TestIncrementalTestOnly checks the packages of directories that hold
// _test.go files only — an external test package with nothing to test, as
// go-redis's doctests are, and a package's own tests without the package:
// go list reports them without compiled files, so without export data,
// which must not send the run to the whole-graph driver. The incremental
// driver analyses them (their test variants, when tests are on) and
// reports what the whole-graph driver and a run without the cache do.
func TestIncrementalTestOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	testSameFindings(t, "testonly") // and the cwd is the fixture's copy
	pkgs, err := listPackages([]string{"./..."}, loadConfig{})
	if err != nil {
		t.Fatal(err)
	}
	bare := 0
	for _, p := range pkgs {
		if len(p.CompiledGoFiles) == 0 && p.ExportFile == "" {
			bare++
		}
	}
	if bare != 2 {
		t.Fatalf("%d packages without compiled files or export data, want doctests and inpkg: the test shows nothing", bare)
	}
	got, analysed, _ := incremental(t, sampleSuite(), nil, []string{"./..."}, "-sample.tests")
	for _, file := range []string{"doctests/example_test.go:9", "doctests/example_test.go:10", "inpkg/inpkg_test.go:11"} {
		if !strings.Contains(got, file) {
			t.Errorf("with tests on, nothing reported at %s:\n%s", file, got)
		}
	}
	if analysed < 5 { // lib, doctests, inpkg, and the two test variants at least
		t.Errorf("with tests on, %d packages analysed", analysed)
	}
}

// TestExportOnlyImported checks that, without tests, go list is asked for
// the export data of imported packages only: a root that nothing imports
// is analysed from source, and compiling it (most of a run after an edit
// of a large root package) is left out.
func TestExportOnlyImported(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	t.Chdir(fixture(t, "mod"))
	pkgs, err := listPackages([]string{"./..."}, loadConfig{})
	if err != nil {
		t.Fatal(err)
	}
	imported := make(map[*packages.Package]bool)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, imp := range p.Imports {
			imported[imp] = true
		}
	})
	unimported := 0
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		switch {
		case imported[p] && needsExport(p) && p.ExportFile == "":
			t.Errorf("%s is imported but has no export data", p.ID)
		case !imported[p] && p.ExportFile != "":
			t.Errorf("%s is imported by no package but was compiled for its export data", p.ID)
		case !imported[p]:
			unimported++
		}
	})
	if unimported == 0 || len(imported) == 0 {
		t.Errorf("%d roots that nothing imports, %d imported packages: the test shows nothing", unimported, len(imported))
	}
}

// TestExportUntidyModule checks a run where naming the imports to go list
// fails: the patterns are in a dependency (dep1) whose import (dep2) comes
// from a module the main go.mod does not list, so go list -export refuses
// dep2 by name. The incremental driver then lists with one go list -export
// and reports what the whole-graph driver does.
func TestExportUntidyModule(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	t.Chdir(fixture(t, "untidy"))
	patterns := []string{"example.com/dep1/..."}
	want := wholeGraph(t, sampleSuite(), patterns)
	if !strings.Contains(want, "call to Hazard") {
		t.Fatalf("the fixture reports nothing:\n%s", want)
	}
	got, _, _ := incremental(t, sampleSuite(), nil, patterns)
	if got != want {
		t.Errorf("differs from the whole-graph driver:\n--- got\n%s\n--- want\n%s", got, want)
	}
}

// TestIncrementalStd is TestIncrementalSameFindings for the real suite on
// a slice of the standard library, strict profile, with the cache.
func TestIncrementalStd(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks a slice of std three times")
	}
	suite := resilvetSuite()
	// unsafe, named as std names it, has no files to analyse.
	patterns := []string{"net/http/httputil", "net/rpc/...", "os/exec", "log/slog", "unsafe"}
	want := wholeGraph(t, suite, patterns, "-strict")
	c := testCache(t)
	got, analysed, _ := incremental(t, suite, c, patterns, "-strict")
	if got != want {
		t.Errorf("empty cache: differs from the whole-graph driver:\n--- got\n%s\n--- want\n%s", got, want)
	}
	if analysed < 50 {
		t.Errorf("%d packages analysed: the dependencies' facts were not computed", analysed)
	}
	got, warm, _ := incremental(t, suite, c, patterns, "-strict")
	if got != want || warm != 0 {
		t.Errorf("full cache: %d analysed (want 0); output same: %v", warm, got == want)
	}
}

// TestIncrementalChange checks that a change re-analyses only the package
// changed and what imports it, and that a change its importers cannot see
// (neither its export data nor its facts change) re-analyses it alone.
func TestIncrementalChange(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	dir := fixture(t, "mod")
	t.Chdir(dir)
	c := testCache(t)
	patterns := []string{"./..."}
	if _, _, hits := incremental(t, sampleSuite(), c, patterns); hits != 0 {
		t.Fatalf("%d from an empty cache", hits)
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedImports | packages.NeedDeps}, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	// above returns the packages of the graph that import path, directly or
	// not, and path itself.
	above := func(path string) int {
		memo := make(map[*packages.Package]bool)
		var reaches func(p *packages.Package) bool
		reaches = func(p *packages.Package) bool {
			if v, ok := memo[p]; ok {
				return v
			}
			memo[p] = p.PkgPath == path
			for _, imp := range p.Imports {
				if reaches(imp) {
					memo[p] = true
				}
			}
			return memo[p]
		}
		n := 0
		packages.Visit(pkgs, nil, func(p *packages.Package) {
			if reaches(p) {
				n++
			}
		})
		return n
	}
	for _, tc := range []struct {
		file, text string
		pkg        string // whose importers see the change
		want       int    // 0: above(pkg)
	}{
		{"c/c.go", "\nfunc AddedC() {}\n", "example.com/mod/c", 0},
		{"a/a.go", "\nfunc AddedA() {}\n", "example.com/mod/a", 0},
		{"a/a.go", "\n// A comment at the end changes no declaration's position.\n", "", 1},
	} {
		want := tc.want
		if want == 0 {
			want = above(tc.pkg)
		}
		appendFile(t, filepath.Join(dir, tc.file), tc.text)
		fresh := wholeGraph(t, sampleSuite(), patterns)
		got, analysed, _ := incremental(t, sampleSuite(), c, patterns)
		if analysed != want {
			t.Errorf("after appending to %s: %d packages analysed, want %d", tc.file, analysed, want)
		}
		if got != fresh {
			t.Errorf("after appending to %s: differs from the whole-graph driver:\n--- got\n%s\n--- want\n%s", tc.file, got, fresh)
		}
	}
	if above("example.com/mod/a") <= above("example.com/mod/c") {
		t.Errorf("the fixture's a is not imported more widely than c: the test shows nothing")
	}
}

// TestNothingChangedOneList checks that a run in which every package's
// result is in the cache lists the packages once, without export data, as
// a rerun of go vet does; that so does a run where only a package nothing
// imports changed, which reads its imports' export files from the cache
// (storedExports); that a change of an imported package, or an export
// file that is gone, lists the imports' export data too; and that every
// run reports what the whole-graph driver does. With tests on as well,
// whose test variants a run that lists export data lists anew.
func TestNothingChangedOneList(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	t.Run("default", func(t *testing.T) { testOneList(t, nil) })
	t.Run("tests", func(t *testing.T) { testOneList(t, []string{"-sample.tests", "-other.tests"}) })
}

func testOneList(t *testing.T, args []string) {
	dir := fixture(t, "mod")
	t.Chdir(dir)
	c := testCache(t)
	patterns := []string{"./..."}
	run := func() (string, *outcome) {
		t.Helper()
		o := testOptions(t, sampleSuite(), args...)
		out, err := analyzeIncremental(o, patterns, c)
		if err != nil {
			t.Fatalf("incremental driver: %v", err)
		}
		return render(t, o, out), out
	}
	for i, tc := range []struct {
		file, edit string // edit is appended to file first
		gone       bool   // the export files the cache recorded are gone
		analysed   bool   // some package is analysed
		lists      int
	}{
		{"", "", false, true, 2},                           // empty cache
		{"", "", false, false, 1},                          // nothing changed
		{"c/c.go", "\nfunc AddedC() {}\n", false, true, 1}, // c: nothing imports it
		{"", "", false, false, 1},                          // nothing changed since
		{"a/a.go", "\nfunc AddedA() {}\n", false, true, 2}, // a: b imports it
		{"", "", false, false, 1},
		{"c/c.go", "\nfunc AddedC2() {}\n", true, true, 2},
		{"c/c.go", "\nfunc AddedC3() {}\n", false, true, 1}, // the last run recorded them again
	} {
		if tc.edit != "" {
			appendFile(t, filepath.Join(dir, tc.file), tc.edit)
		}
		if tc.gone {
			forgetExports(t, c)
		}
		got, out := run()
		if want := wholeGraph(t, sampleSuite(), patterns, args...); got != want {
			t.Errorf("run %d: differs from the whole-graph driver:\n--- got\n%s\n--- want\n%s", i, got, want)
		}
		if (out.analysed > 0) != tc.analysed || out.lists != tc.lists {
			t.Errorf("run %d: %d analysed, %d from the cache, %d go list runs; want analysed %v, %d go list runs", i, out.analysed, out.fromCache, out.lists, tc.analysed, tc.lists)
		}
	}
}

// forgetExports makes every export file c's entries record one that does
// not exist: the same name in an empty directory, as if the go command had
// removed it from its cache.
func forgetExports(t *testing.T, c *resultCache) {
	t.Helper()
	gone := t.TempDir()
	n := 0
	err := filepath.WalkDir(c.dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := hex.DecodeString(d.Name())
		if err != nil || len(b) != sha256.Size {
			return nil // not an entry
		}
		key := [sha256.Size]byte(b)
		data, ok := c.get(key)
		if !ok {
			return nil
		}
		var e entry
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e); err != nil {
			return err
		}
		if e.Export == "" {
			return nil
		}
		e.Export = filepath.Join(gone, filepath.Base(filepath.Dir(e.Export)), filepath.Base(e.Export))
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(e); err != nil {
			return err
		}
		c.put(key, buf.Bytes())
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no entry records an export file")
	}
}

// readsIgnored reports the size of each file the build ignores, as read by
// Pass.ReadFile: a result the cache keys do not cover.
var readsIgnored = lint.New(lint.Spec{
	Name: "readsignored",
	Doc: `// Package readsignored is a stand-in analyzer of the driver's tests.
//
// # Analyzer readsignored
//
// readsignored: report the size of each ignored file
//
// # Rule size
//
// size: an ignored file's size, as Pass.ReadFile reads it
package readsignored
`,
	Rules: []*lint.Rule{ruleSize},
	Run: func(pass *lint.Pass) (any, error) {
		for _, name := range pass.IgnoredFiles {
			data, err := pass.ReadFile(name)
			if err != nil {
				return nil, err
			}
			pass.Report(ruleSize, analysis.Diagnostic{Pos: pass.Files[0].Package, Message: fmt.Sprintf("%s: %d bytes", filepath.Base(name), len(data))})
		}
		return nil, nil
	},
})

var ruleSize = &lint.Rule{Name: "size", Default: true, Since: "v0.1.0"}

// TestReadIgnoredNotCached checks that a package where a pass read a file
// the build ignores is analysed again on every run: the keys cover an
// ignored file by name only.
func TestReadIgnoredNotCached(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	dir := fixture(t, "mod")
	t.Chdir(dir)
	c := testCache(t)
	suite := append(sampleSuite(), readsIgnored)
	patterns := []string{"./tagged"}
	want := wholeGraph(t, suite, patterns)
	if !strings.Contains(want, "t.go: ") {
		t.Fatalf("nothing read an ignored file:\n%s", want)
	}
	if got, _, _ := incremental(t, suite, c, patterns); got != want {
		t.Errorf("empty cache: differs from the whole-graph driver:\n--- got\n%s\n--- want\n%s", got, want)
	}
	appendFile(t, filepath.Join(dir, "tagged", "t.go"), "\n// More bytes in an ignored file.\n")
	want = wholeGraph(t, suite, patterns)
	got, analysed, _ := incremental(t, suite, c, patterns)
	if got != want || analysed != 1 {
		t.Errorf("after the ignored file changed: %d analysed (want 1); differs from the whole-graph driver: %v\n--- got\n%s\n--- want\n%s", analysed, got != want, got, want)
	}
}

// TestConcurrentRuns runs the incremental driver four times at once on one
// cache, then once more: every run reports the same, and the last reads
// everything from the cache.
func TestConcurrentRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	t.Chdir(fixture(t, "mod"))
	want := wholeGraph(t, sampleSuite(), []string{"./..."})
	c := testCache(t)
	type result struct {
		out string
		err error
	}
	results := make(chan result)
	for range 4 {
		go func() {
			o, _, err := parseFlags(sampleSuite(), nil, io.Discard)
			if err != nil {
				results <- result{"", err}
				return
			}
			out, err := analyzeIncremental(o, []string{"./..."}, c)
			if err != nil {
				results <- result{"", err}
				return
			}
			var b bytes.Buffer
			printText(&b, out.findings, 1)
			if err := printJSON(&b, out.findings, out.analysErrs); err != nil {
				results <- result{"", err}
				return
			}
			if err := printSARIF(&b, o.analyzers, out, out.findings); err != nil {
				results <- result{"", err}
				return
			}
			for _, f := range out.findings {
				b.WriteString(f.pkgID + " " + f.function + "\n")
			}
			results <- result{b.String(), nil}
		}()
	}
	for range 4 {
		r := <-results
		if r.err != nil {
			t.Error(r.err)
		} else if r.out != want {
			t.Errorf("a concurrent run differs:\n--- got\n%s\n--- want\n%s", r.out, want)
		}
	}
	got, analysed, _ := incremental(t, sampleSuite(), c, []string{"./..."})
	if got != want || analysed != 0 {
		t.Errorf("after the concurrent runs: %d analysed (want 0); output same: %v", analysed, got == want)
	}
}

// TestFrame checks that an entry cut short or changed anywhere reads as a
// miss.
func TestFrame(t *testing.T) {
	payload := []byte(strings.Repeat("facts and findings ", 20))
	data := frame(payload)
	if got, ok := unframe(data); !ok || !bytes.Equal(got, payload) {
		t.Fatalf("a whole entry does not read back")
	}
	for n := range len(data) {
		if _, ok := unframe(data[:n]); ok {
			t.Errorf("the first %d of %d bytes read as an entry", n, len(data))
		}
	}
	for i := range data {
		bad := bytes.Clone(data)
		bad[i] ^= 0x20
		if _, ok := unframe(bad); ok {
			t.Errorf("an entry with byte %d changed reads as valid", i)
		}
	}
	if _, ok := unframe(append(bytes.Clone(data), 0)); ok {
		t.Errorf("an entry with a byte more reads as valid")
	}
}

// TestTornEntry puts half an entry where a whole one belongs, as a crash
// after the rename but before the data reached the disk would leave it:
// the package is analysed again and the findings are right.
func TestTornEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	t.Chdir(fixture(t, "mod"))
	want := wholeGraph(t, sampleSuite(), []string{"./..."})
	c := testCache(t)
	_, analysed, _ := incremental(t, sampleSuite(), c, []string{"./..."})
	var entries []string
	err := filepath.WalkDir(c.dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(d.Name()) == 64 {
			entries = append(entries, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2*analysed { // each under its source key and its export key
		t.Fatalf("%d entries for %d packages analysed", len(entries), analysed)
	}
	for _, e := range entries {
		data, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(e, data[:len(data)/2], 0o666); err != nil {
			t.Fatal(err)
		}
	}
	got, again, _ := incremental(t, sampleSuite(), c, []string{"./..."})
	if got != want || again != analysed {
		t.Errorf("with torn entries: %d analysed (want %d); output same: %v", again, analysed, got == want)
	}
}

// TestKilledWrite kills the command in the middle of writing a cache entry
// and checks that no entry it left reads back as valid unless it is whole,
// and that the next run reports what a run without the cache does.
func TestKilledWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := e2e.Build(t, "github.com/resilvet/resilvet/internal/driver/testdata/sampletool")
	dir := fixture(t, "mod")
	want := e2e.RunEnv(t, dir, []string{"RESILVET_CACHE=off"}, bin, "-json", "./...")
	cache := t.TempDir()
	for _, n := range []int{0, 2} {
		res := make(chan error, 1)
		cmd := e2eCommand(dir, bin, "RESILVET_CACHE="+cache, "RESILVET_CACHE_TEST_STALL="+string(rune('0'+n)))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { res <- cmd.Wait() }()
		// Wait for the half-written entry, then kill the run.
		torn := ""
		for torn == "" {
			select {
			case err := <-res:
				t.Fatalf("the run ended (%v) without stalling in a write", err)
			default:
			}
			// The run writes the cache meanwhile: what cannot be read now
			// is looked at again on the next poll.
			_ = filepath.WalkDir(cache, func(path string, d os.DirEntry, err error) error {
				if err == nil && strings.HasPrefix(d.Name(), ".tmp-") {
					if fi, err := d.Info(); err == nil && fi.Size() > 0 {
						torn = path
					}
				}
				return nil
			})
		}
		if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatal(err)
		}
		if err := <-res; err == nil {
			t.Fatal("the run stalled in a write, was killed, and exited 0")
		}
		valid := 0
		err := filepath.WalkDir(cache, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") || d.Name() == "trim.txt" {
				return nil
			}
			data, _ := os.ReadFile(path)
			if _, ok := unframe(data); !ok {
				t.Errorf("after a killed run, %s is in place but not whole", path)
			}
			valid++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if valid < n {
			t.Errorf("stalled after %d entries but %d are in place", n, valid)
		}
		got := e2e.RunEnv(t, dir, []string{"RESILVET_CACHE=" + cache}, bin, "-json", "./...")
		if got != want {
			t.Errorf("after a run killed writing entry %d: got %+v, want %+v", n+1, got, want)
		}
	}
}

// TestEarlierResults: a pass of the incremental driver finds in ResultOf
// every result its package's passes produced before it, not only those of
// what it requires (fireforget's fact pass uses inspect's inspector so).
func TestEarlierResults(t *testing.T) {
	if testing.Short() {
		t.Skip("go list -export compiles the fixture modules")
	}
	t.Chdir(fixture(t, "mod"))
	got, _, _ := incremental(t, []*analysis.Analyzer{produces, readsEarlier}, nil, []string{"./a"})
	if !strings.Contains(got, "saw: produced in a") {
		t.Errorf("readsearlier did not see produces' result:\n%s", got)
	}
}

// produces returns its package's name; readsEarlier, which does not
// require it, reports what it finds of it in ResultOf.
var (
	produces = lint.New(lint.Spec{
		Name: "produces",
		Doc: `// Package produces is a stand-in analyzer of the driver's tests.
//
// # Analyzer produces
//
// produces: return a value
//
// # Rule none
//
// none: never reported
package produces
`,
		Rules:      []*lint.Rule{{Name: "none", Default: true, Since: "v0.1.0"}},
		ResultType: reflect.TypeFor[string](),
		Run:        func(pass *lint.Pass) (any, error) { return "produced in " + pass.Pkg.Name(), nil },
	})
	ruleSaw      = &lint.Rule{Name: "saw", Default: true, Since: "v0.1.0"}
	readsEarlier = lint.New(lint.Spec{
		Name: "readsearlier",
		Doc: `// Package readsearlier is a stand-in analyzer of the driver's tests.
//
// # Analyzer readsearlier
//
// readsearlier: report the result of produces, which it does not require
//
// # Rule saw
//
// saw: what produces returned
package readsearlier
`,
		Rules: []*lint.Rule{ruleSaw},
		Run: func(pass *lint.Pass) (any, error) {
			for a, v := range pass.ResultOf { // by name: the driver runs clones of the suite's analyzers
				if a.Name == "produces" {
					pass.Report(ruleSaw, analysis.Diagnostic{Pos: pass.Files[0].Package, Message: "saw: " + v.(string)})
				}
			}
			return nil, nil
		},
	})
)
