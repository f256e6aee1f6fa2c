// Package e2e holds helpers for end-to-end tests that build the resilvet
// command and run it, standalone or under go vet and go fix, on fixture
// modules copied out of testdata.
package e2e

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// RuntimeReplace is the placeholder a fixture's go.mod uses for the local
// runtime module's directory:
//
//	replace github.com/resilvet/resilvet/runtime => RUNTIME_DIR
const RuntimeReplace = "RUNTIME_DIR"

var (
	buildMu sync.Mutex
	built   = make(map[string]string) // import path → binary
	tmpDir  string
)

// Binary builds cmd/resilvet once per test process and returns its path.
// Like the analyzers' fixtures, it depends on nothing outside the repository.
func Binary(t testing.TB) string {
	t.Helper()
	return Build(t, "github.com/resilvet/resilvet/cmd/resilvet")
}

// Build builds the main package at importPath (of the resilvet module, a
// testdata directory included) once per test process and returns the
// binary's path. It skips the test with -short.
func Build(t testing.TB, importPath string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a binary; skipped with -short")
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if bin, ok := built[importPath]; ok {
		return bin
	}
	if tmpDir == "" {
		dir, err := os.MkdirTemp("", "resilvet-e2e-")
		if err != nil {
			t.Fatal(err)
		}
		tmpDir = dir
	}
	bin := filepath.Join(tmpDir, path.Base(importPath))
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, importPath)
	cmd.Dir = RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", importPath, err, out)
	}
	built[importPath] = bin
	return bin
}

// RepoRoot returns the root of the resilvet repository (the directory of
// go.work), found from the test's working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.work above the test's directory")
		}
		dir = parent
	}
}

// CopyModule copies the fixture directory src (relative to the test's
// package directory) to a fresh temporary directory and returns it. In
// go.mod files, RuntimeReplace becomes the repository's runtime directory.
func CopyModule(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	runtimeDir := filepath.Join(RepoRoot(t), "runtime")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if d.Name() == "go.mod" {
			data = bytes.ReplaceAll(data, []byte(RuntimeReplace), []byte(filepath.ToSlash(runtimeDir)))
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// Result is what a command printed and its exit status.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs name with args in dir, with the environment of a fixture module:
// no workspace and no network.
func Run(t testing.TB, dir, name string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running %s %s: %v", name, strings.Join(args, " "), err)
	}
	return res
}
