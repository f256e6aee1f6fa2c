package envflag_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

// TestFixModule applies every envflag fix to a fixture module with
// resilvet -fix, then checks that the result builds, passes go vet, keeps
// only the finding that has no fix, and is a fixed point.
func TestFixModule(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "fixmod"))
	file := filepath.Join(dir, "hazard", "hazard.go")

	rules := "-envflag.rules=+unrestored,+child-env" // library-setenv would report the sets the fixes keep
	res := e2e.Run(t, dir, bin, "-envflag=true", rules, "-fix", "./...")
	if res.Code != 1 {
		t.Fatalf("resilvet -fix: exit %d, want 1 (Trace has no fix)\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	if got := strings.Count(res.Stdout, "(envflag/"); got != 1 || !strings.Contains(res.Stdout, `os.Setenv("TRACE", …)`) {
		t.Errorf("after -fix, want one finding left (Trace), got:\n%s", res.Stdout)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		if res := e2e.Run(t, dir, "go", args...); res.Code != 0 {
			t.Errorf("go %s after -fix:\n%s", strings.Join(args, " "), res.Stderr)
		}
	}
	src := read(t, file)
	for _, want := range []string{
		`defer os.Unsetenv("NODE_BOOTING")`,
		`defer func() { booting = false }()`,
		`defer busy.Store(false)`,
		`defer lower()`,
		`cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")`,
		`cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("hazard.go lacks %q after -fix:\n%s", want, src)
		}
	}
	if n := strings.Count(src, `os.Unsetenv("NODE_BOOTING")`); n != 1 {
		t.Errorf("hazard.go has %d os.Unsetenv(\"NODE_BOOTING\"), want only the deferred one:\n%s", n, src)
	}

	// A second -fix changes nothing.
	res = e2e.Run(t, dir, bin, "-envflag=true", rules, "-fix", "./...")
	if strings.Contains(res.Stderr, "applied") || read(t, file) != src {
		t.Errorf("second -fix changed something:\n%s", res.Stderr)
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
