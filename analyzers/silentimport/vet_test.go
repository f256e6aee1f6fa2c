package silentimport_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

// TestVetMode runs resilvet on testdata/vetmod under go vet, where a
// package sees only its direct imports' facts, and standalone. In both, the
// "postgres" driver registered two imports away from the main packages is
// found, and the unregistered "mysql" is reported, once.
func TestVetMode(t *testing.T) {
	bin := e2e.Binary(t)
	dir := e2e.CopyModule(t, filepath.Join("testdata", "vetmod"))
	const want = `cmd/app/main.go:21:22: sql driver "mysql" is never registered in this program`
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"vet", []string{"go", "vet", "-vettool=" + bin, "./..."}},
		{"standalone", []string{bin, "./..."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e2e.Run(t, dir, tc.args[0], tc.args[1:]...)
			out := res.Stdout + res.Stderr
			if res.Code != 1 {
				t.Errorf("exit status %d, want 1\n%s", res.Code, out)
			}
			if n := strings.Count(out, want); n != 1 {
				t.Errorf("%d findings %q, want 1:\n%s", n, want, out)
			}
			var findings []string
			for line := range strings.Lines(out) {
				if strings.Contains(line, ".go:") {
					findings = append(findings, line)
				}
			}
			if len(findings) != 1 {
				t.Errorf("want exactly one finding, got:\n%s", strings.Join(findings, ""))
			}
		})
	}
}
