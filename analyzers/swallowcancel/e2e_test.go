package swallowcancel_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

// TestFixModule applies every swallowcancel fix to a fixture module with
// resilvet -fix, then checks that the result builds, passes go vet,
// re-lints clean, requires the runtime, and is a fixed point.
func TestFixModule(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "fixmod"))
	flags := []string{"-swallowcancel=true", "-swallowcancel.rules=+all"}

	res := e2e.Run(t, dir, bin, append(flags, "-fix", "./...")...)
	if res.Code != 0 {
		t.Fatalf("resilvet -fix: exit %d, want 0 (every finding has a fix)\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		if res := e2e.Run(t, dir, "go", args...); res.Code != 0 {
			t.Errorf("go %s after -fix:\n%s", strings.Join(args, " "), res.Stderr)
		}
	}
	src := read(t, filepath.Join(dir, "worker", "worker.go"))
	// Run's guard names the loop's context, not the attempt's; a local
	// cancel takes the package's name, so the import is cancel2.
	for want, n := range map[string]int{
		"if cancel2.Of(ctx, err) {":                             2, // Run and Ack
		"stopped\")\n\t\t\treturn ctx.Err()":                    1, // Drain
		"errors.Is(err, context.Canceled)":                      1, // Canceled
		`cancel2 "github.com/resilvet/resilvet/runtime/cancel"`: 1,
	} {
		if got := strings.Count(src, want); got != n {
			t.Errorf("worker.go after -fix has %q %d times, want %d:\n%s", want, got, n, src)
		}
	}
	if gomod := read(t, filepath.Join(dir, "go.mod")); !strings.Contains(gomod, "github.com/resilvet/resilvet/runtime") || !strings.Contains(gomod, "require") {
		t.Errorf("go.mod does not require the runtime:\n%s", gomod)
	}

	// Nothing is left to report, and a second -fix changes nothing.
	res = e2e.Run(t, dir, bin, append(flags, "-fix", "./...")...)
	if res.Code != 0 || strings.Contains(res.Stderr, "applied") {
		t.Errorf("second -fix: exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	if read(t, filepath.Join(dir, "worker", "worker.go")) != src {
		t.Error("second -fix changed worker.go")
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
