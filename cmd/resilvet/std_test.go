package main_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/e2e"
)

// TestStd runs every analyzer with every rule on, in the strict profile and
// with test files, over the whole standard library, as x/tools'
// TestVetStdlib does for go vet: no panic, no analyzer error and no load
// error, whatever it reports. Findings are not checked here; their
// precision is measured by bench/precision.
func TestStd(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses all of std")
	}
	t.Parallel()
	bin := e2e.Binary(t)
	args := []string{"-json", "-strict", "-runtimefixes"}
	for _, a := range resilvet.Suite {
		args = append(args, "-"+a.Name+".rules=+all", "-"+a.Name+".tests")
	}
	res := e2e.Run(t, t.TempDir(), bin, append(args, "std")...)
	if res.Code != 0 && res.Code != 1 {
		t.Fatalf("exit status %d (0 or 1 expected); stderr:\n%s", res.Code, firstLines(res.Stderr, 40))
	}
	if strings.TrimSpace(res.Stderr) != "" {
		t.Errorf("stderr is not empty (a load error or a panic):\n%s", firstLines(res.Stderr, 40))
	}
	// go vet's -json tree: package → analyzer → diagnostics or {"error": …}.
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Stdout), &tree); err != nil {
		t.Fatalf("output is not go vet's JSON tree: %v", err)
	}
	findings := 0
	for pkg, analyzers := range tree {
		for name, raw := range analyzers {
			var e struct{ Error string }
			if json.Unmarshal(raw, &e) == nil && e.Error != "" {
				t.Errorf("%s: %s: %s", pkg, name, e.Error)
				continue
			}
			var diags []json.RawMessage
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Errorf("%s: %s: not a list of diagnostics: %v", pkg, name, err)
			}
			findings += len(diags)
		}
	}
	if findings == 0 {
		t.Errorf("no findings at all over std with every rule on: the analyzers did not run")
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
