package rawbreaker_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

// TestVetMode runs resilvet under go vet, where a package sees only its
// direct imports' facts, and standalone, on testdata/vetmod: c imports b,
// which imports a, each with a hand-rolled breaker. c's finding names a's
// breaker too, because b's fact carries it; the program's summary at
// func main names all three.
func TestVetMode(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "vetmod"))
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"vet", []string{"go", "vet", "-vettool=" + bin, "-rawbreaker.rules=+handrolled", "./..."}},
		{"standalone", []string{bin, "-rawbreaker.rules=+handrolled", "./..."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e2e.Run(t, dir, tc.args[0], tc.args[1:]...)
			out := res.Stdout + res.Stderr
			for _, want := range []string{
				"a/a.go:12:6: type A is a hand-rolled circuit breaker",
				"b/b.go:16:6: type B is a hand-rolled circuit breaker (state in state, failures counted against a threshold, a time to reset): its callers share no state with any other breaker of the program; keep one breaker per dependency with breaker.Get(name, settings) (this program has 1 more: example.com/vetmod/a.A)",
				"c/c.go:16:6: type C is a hand-rolled circuit breaker (state in state, failures counted against a threshold, a time to reset): its callers share no state with any other breaker of the program; keep one breaker per dependency with breaker.Get(name, settings) (this program has 2 more: example.com/vetmod/a.A, example.com/vetmod/b.B)",
				"cmd/app/main.go:5:6: this program holds 3 hand-rolled circuit breakers, none sharing state with another: example.com/vetmod/a.A, example.com/vetmod/b.B, example.com/vetmod/c.C",
			} {
				if n := strings.Count(out, want); n != 1 {
					t.Errorf("%d findings %q, want 1:\n%s", n, want, out)
				}
			}
		})
	}
}

// TestFixModule applies the per-call and no-jitter fixes to
// testdata/fixmod with resilvet -fix, then checks that the result builds,
// passes go vet, keeps only the finding that has no fix, and is a fixed
// point.
func TestFixModule(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "fixmod"))
	args := []string{"-rawbreaker=true", "-rawbreaker.rules=+per-call,+no-jitter", "-fix", "./..."}
	res := e2e.Run(t, dir, bin, args...)
	if res.Code != 1 {
		t.Fatalf("resilvet -fix: exit %d, want 1 (PerHost has no fix)\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	if got := strings.Count(res.Stdout, "(rawbreaker/"); got != 1 || !strings.Contains(res.Stdout, "circuit breaker made by gobreaker.NewCircuitBreaker") {
		t.Errorf("after -fix, want one finding left (PerHost), got:\n%s", res.Stdout)
	}
	for _, a := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		if r := e2e.Run(t, dir, "go", a...); r.Code != 0 {
			t.Errorf("go %s after -fix:\n%s", strings.Join(a, " "), r.Stderr)
		}
	}
	src := read(t, filepath.Join(dir, "hazard", "hazard.go"))
	for _, want := range []string{
		`cb, _ := breaker.Get("example.com/fixmod/hazard.Handler.cb", breaker.Settings{`,
		"ReadyToTrip: func(c breaker.Counts) bool {",
		"body, err := breaker.Execute(context.Background(), cb, func(context.Context) (string, error) { return fetch() })",
		"time.Sleep(retry.Jitter(d))",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("hazard.go lacks %q:\n%s", want, src)
		}
	}
	if gomod := read(t, filepath.Join(dir, "go.mod")); !strings.Contains(gomod, "github.com/resilvet/resilvet/runtime") {
		t.Errorf("go.mod does not require the runtime:\n%s", gomod)
	}

	// A second -fix changes nothing.
	res = e2e.Run(t, dir, bin, args...)
	if strings.Contains(res.Stderr, "applied") || read(t, filepath.Join(dir, "hazard", "hazard.go")) != src {
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
