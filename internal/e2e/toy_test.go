package e2e_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/e2e"
)

// TestToyAnalyzer follows docs/adding-an-analyzer.md on a copy of the
// repository: the toy analyzer of testdata/toy/analyzer becomes
// analyzers/toy, suite.go gains one entry, and nothing else changes. The
// command built from the copy then runs it standalone and under go vet,
// with its rules switched by flags; with RESILVET_GOLANGCI_E2E=1 (as
// .ci/run sets it) the golangci-lint binary built from the copy runs it
// too.
func TestToyAnalyzer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command from a copy of the repository; skipped with -short")
	}
	root := e2e.RepoRoot(t)
	repo := t.TempDir()
	for _, dir := range []string{"go.mod", "go.sum", "suite.go", "analyzers", "internal", "cmd", "plugin", "tools/golangci"} {
		copyTree(t, filepath.Join(root, dir), filepath.Join(repo, dir))
	}

	// The guide's steps: the analyzer's own package, and one Suite line.
	copyTree(t, filepath.Join("testdata", "toy", "analyzer"), filepath.Join(repo, "analyzers", "toy"))
	suite := read(t, filepath.Join(repo, "suite.go"))
	for old, new := range map[string]string{
		"import (":           "import (\n\t\"github.com/resilvet/resilvet/analyzers/toy\"",
		"var Suite = suite(": "var Suite = suite(toy.Analyzer, ",
	} {
		if !strings.Contains(suite, old) {
			t.Fatalf("suite.go has no %q: update this test and docs/adding-an-analyzer.md together", old)
		}
		suite = strings.Replace(suite, old, new, 1)
	}
	write(t, filepath.Join(repo, "suite.go"), suite)

	bin := filepath.Join(repo, "bin", "resilvet")
	build(t, repo, bin, "./cmd/resilvet")
	mod := e2e.CopyModule(t, filepath.Join("testdata", "toy", "fixture"))
	const (
		printlnFinding = "main.go:4:2: println writes to standard error, unlike fmt.Println: use log or fmt"
		printFinding   = "main.go:5:2: print writes to standard error, unlike fmt.Print: use log or fmt"
	)

	t.Run("standalone", func(t *testing.T) {
		res := e2e.Run(t, mod, bin, "./...")
		expect(t, res, 1, []string{printlnFinding + " (toy/println)"}, []string{printFinding})
		res = e2e.Run(t, mod, bin, "-toy.rules=+print", "./...")
		expect(t, res, 1, []string{printlnFinding, printFinding + " (toy/print)"}, nil)
		res = e2e.Run(t, mod, bin, "help", "toy")
		expect(t, res, 0, []string{"toy: report calls of the print builtins"}, nil)
	})
	t.Run("vet", func(t *testing.T) {
		res := e2e.Run(t, mod, "go", "vet", "-vettool="+bin, "./...")
		expect(t, res, 1, []string{printlnFinding}, []string{printFinding})
		res = e2e.Run(t, mod, "go", "vet", "-vettool="+bin, "-toy.rules=+all", "./...")
		expect(t, res, 1, []string{printlnFinding, printFinding}, nil)
	})
	t.Run("golangci", func(t *testing.T) {
		if os.Getenv("RESILVET_GOLANGCI_E2E") != "1" {
			t.Skip("set RESILVET_GOLANGCI_E2E=1 to build golangci-lint from the copy")
		}
		gcl := filepath.Join(repo, "bin", "golangci-lint")
		build(t, filepath.Join(repo, "tools", "golangci"), gcl, ".")
		write(t, filepath.Join(mod, ".golangci.yml"), `version: "2"
linters:
  default: none
  enable:
    - resilvet
  settings:
    custom:
      resilvet:
        type: module
        settings:
          analyzers:
            toy:
              rules: "+print"
`)
		res := e2e.Run(t, mod, gcl, "run", "./...")
		// golangci-lint puts the linter's analyzer name before the message.
		expect(t, res, 1, []string{
			"main.go:4:2: toy: println writes to standard error, unlike fmt.Println: use log or fmt (toy/println)",
			"main.go:5:2: toy: print writes to standard error, unlike fmt.Print: use log or fmt (toy/print)",
		}, nil)
	})
}

// expect checks the exit status and that the output holds every line of
// want and none of unwanted.
func expect(t *testing.T, res e2e.Result, code int, want, unwanted []string) {
	t.Helper()
	out := res.Stdout + res.Stderr
	if res.Code != code {
		t.Errorf("exit status %d, want %d\n%s", res.Code, code, out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(out, u) {
			t.Errorf("output has %q:\n%s", u, out)
		}
	}
}

// build builds pkg in dir into bin, trimming paths so that the build cache
// of the repository itself serves the copy.
func build(t *testing.T, dir, bin, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=readonly")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s in %s: %v\n%s", pkg, dir, err, out)
	}
}

// copyTree copies the file or directory src to dst, leaving out testdata
// directories, which nothing the builds need holds.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir() && d.Name() == "testdata" && path != src:
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
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

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
