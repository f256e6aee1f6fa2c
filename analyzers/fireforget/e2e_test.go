package fireforget_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

// TestFixModule applies every fireforget fix to a fixture module with
// resilvet -fix, then checks that the result builds, passes go vet, keeps
// only the finding that has no fix, and is a fixed point.
func TestFixModule(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "fixmod"))

	// Strict: the fixture's goroutines are one-shots, which the default
	// profile leaves alone.
	res := e2e.Run(t, dir, bin, "-fireforget=true", "-fireforget.strict", "-fireforget.rules=+lost-error,-unjoined", "-fix", "./...")
	if res.Code != 1 {
		t.Fatalf("resilvet -fix: exit %d, want 1 (the labelled go statement has no fix)\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	if got := strings.Count(res.Stdout, "(fireforget/"); got != 1 || !strings.Contains(res.Stdout, "hazard.go") {
		t.Errorf("after -fix, want one finding left (the labelled go statement), got:\n%s", res.Stdout)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		if res := e2e.Run(t, dir, "go", args...); res.Code != 0 {
			t.Errorf("go %s after -fix:\n%s", strings.Join(args, " "), res.Stderr)
		}
	}
	for _, f := range []string{"hazard/hazard.go", "old/old.go"} {
		src := read(t, filepath.Join(dir, f))
		if !strings.Contains(src, "task.Go(") {
			t.Errorf("%s was not rewritten:\n%s", f, src)
		}
	}
	if gomod := read(t, filepath.Join(dir, "go.mod")); !strings.Contains(gomod, "require github.com/resilvet/resilvet/runtime") {
		t.Errorf("go.mod does not require the runtime:\n%s", gomod)
	}

	// A second -fix changes nothing.
	before := read(t, filepath.Join(dir, "hazard/hazard.go"))
	res = e2e.Run(t, dir, bin, "-fireforget=true", "-fireforget.strict", "-fireforget.rules=+lost-error,-unjoined", "-fix", "./...")
	if strings.Contains(res.Stderr, "applied") || read(t, filepath.Join(dir, "hazard/hazard.go")) != before {
		t.Errorf("second -fix changed something:\n%s", res.Stderr)
	}
}

// TestVetLaunchers checks the launcher fact under go vet, which passes
// facts only from a package's direct imports: the call in package b of
// package a's launcher is reported in b, and the go statement in a once.
func TestVetLaunchers(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "vetmod"))
	res := e2e.Run(t, dir, "go", "vet", "-vettool="+bin, "-fireforget.strict", "./...")
	if res.Code == 0 {
		t.Fatalf("go vet found nothing:\n%s", res.Stderr)
	}
	for _, want := range []string{
		"a/a.go:6:2: goroutine is never waited for",
		"b/b.go:9:2: a.SafeGo starts its argument on a goroutine that is never waited for",
	} {
		if strings.Count(res.Stderr, want) != 1 {
			t.Errorf("go vet: want %q once in:\n%s", want, res.Stderr)
		}
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
