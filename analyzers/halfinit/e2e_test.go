package halfinit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

// TestFixMeaning applies every halfinit fix to a fixture module with
// resilvet -fix and checks what the fixes mean, not only that they build:
// the fixture's tests call each getter from many goroutines and retry a
// failed dial. Before the fix the race detector fails the racy getters
// and the Once keeps its first failure; after it the same tests pass
// under -race, go vet is clean, and a second -fix changes nothing.
func TestFixMeaning(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "fixmod"))
	flags := []string{"-halfinit=true", "-halfinit.rules=+all"}

	res := e2e.Run(t, dir, "go", "test", "-race", "-count=1", "./...")
	if res.Code == 0 {
		t.Fatalf("go test -race passed before the fix: the fixture shows no hazard\n%s", res.Stdout)
	}
	for _, want := range []string{
		"--- FAIL: TestDefault", "--- FAIL: TestPrimary", // the race detector
		"--- FAIL: TestReplica", // the Once keeps the first failure
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("before the fix, want %q in:\n%s", want, res.Stdout)
		}
	}
	if strings.Count(res.Stdout, "race detected during execution of test") < 2 {
		t.Errorf("before the fix, want the race detector to fail TestDefault and TestPrimary:\n%s", res.Stdout)
	}

	res = e2e.Run(t, dir, bin, append(flags, "-fix", "./...")...)
	if res.Code != 0 {
		t.Fatalf("resilvet -fix: exit %d, want 0 (every finding has a fix)\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	src := read(t, filepath.Join(dir, "store", "store.go"))
	for _, want := range []string{"sync.OnceValue(", "singleton.Lazy[*Conn]", "return replica.Get(ctx)", "return conn.Get(context.Background())"} {
		if !strings.Contains(src, want) {
			t.Errorf("after -fix, want %q in store.go:\n%s", want, src)
		}
	}
	if gomod := read(t, filepath.Join(dir, "go.mod")); !strings.Contains(gomod, "require github.com/resilvet/resilvet/runtime") {
		t.Errorf("go.mod does not require the runtime:\n%s", gomod)
	}
	if res := e2e.Run(t, dir, "go", "vet", "./..."); res.Code != 0 {
		t.Errorf("go vet after -fix:\n%s", res.Stderr)
	}
	if res := e2e.Run(t, dir, "go", "test", "-race", "-count=1", "./..."); res.Code != 0 {
		t.Errorf("go test -race after the fix:\n%s%s", res.Stdout, res.Stderr)
	}

	// A second -fix changes nothing, and nothing is left to report.
	res = e2e.Run(t, dir, bin, append(flags, "-fix", "./...")...)
	if res.Code != 0 || strings.Contains(res.Stderr, "applied") || read(t, filepath.Join(dir, "store", "store.go")) != src {
		t.Errorf("second -fix: exit %d, changed something or found more:\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
}

// TestVetFacts checks the transient fact under go vet, which passes facts
// only from a package's direct imports: c sees b's fact, which b made
// from a's.
func TestVetFacts(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "vetmod"))
	res := e2e.Run(t, dir, "go", "vet", "-vettool="+bin, "-halfinit.rules=+all", "./...")
	want := "c/c.go:11:12: sync.OnceValues keeps the first error of b.Connect for ever"
	if res.Code == 0 || strings.Count(res.Stderr, want) != 1 {
		t.Errorf("go vet: exit %d, want %q once in:\n%s", res.Code, want, res.Stderr)
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
