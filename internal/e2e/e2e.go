// Package e2e holds helpers for end-to-end tests that build the resilvet
// command and run it, standalone or under go vet and go fix, on fixture
// modules copied out of testdata.
package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
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
	return BuildWith(t, importPath)
}

// BuildWith is Build with extra go build flags (e.g. -ldflags=...); each
// set of flags is built once per test process.
func BuildWith(t testing.TB, importPath string, flags ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a binary; skipped with -short")
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	key := strings.Join(append([]string{importPath}, flags...), "\x00")
	if bin, ok := built[key]; ok {
		return bin
	}
	if tmpDir == "" {
		dir, err := os.MkdirTemp("", "resilvet-e2e-")
		if err != nil {
			t.Fatal(err)
		}
		tmpDir = dir
	}
	name := path.Base(importPath)
	if len(built) > 0 {
		name = filepath.Join(strconv.Itoa(len(built)), name) // one directory per build, so the name stays
	}
	bin := filepath.Join(tmpDir, name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, flags...), importPath)...)
	cmd.Dir = RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", importPath, err, out)
	}
	built[key] = bin
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
	return RunEnv(t, dir, nil, name, args...)
}

// RunEnv is Run with env ("K=V") added last, so that it overrides. The
// command's result cache ($RESILVET_CACHE) is the test's own: the runs of
// one test share it, and no test touches the user's.
func RunEnv(t testing.TB, dir string, env []string, name string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local", "RESILVET_CACHE="+cacheDir(t)), env...)
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

var cacheDirs sync.Map // testing.TB → its result cache directory

func cacheDir(t testing.TB) string {
	if dir, ok := cacheDirs.Load(t); ok {
		return dir.(string)
	}
	dir, _ := cacheDirs.LoadOrStore(t, t.TempDir())
	return dir.(string)
}

// RuntimeModule is the runtime module's path.
const RuntimeModule = "github.com/resilvet/resilvet/runtime"

// RuntimeProxy returns a GOPROXY URL (file://) that serves the
// repository's runtime module at version, as the module proxy will serve
// a release. Use it with a GOMODCACHE of the test's own, so that the
// shared module cache never holds a version that does not exist.
func RuntimeProxy(t testing.TB, version string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), filepath.FromSlash(RuntimeModule), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(RepoRoot(t), "runtime")
	mod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(map[string]any{"Version": version, "Time": time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	var z bytes.Buffer
	if err := zip.CreateFromDir(&z, module.Version{Path: RuntimeModule, Version: version}, src); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": info,
		version + ".mod":  mod,
		version + ".zip":  z.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root := strings.TrimSuffix(dir, filepath.FromSlash("/"+RuntimeModule+"/@v"))
	// The runtime's own requirements come from the shared module cache,
	// read as a proxy: nothing is written to it.
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(strings.TrimSpace(string(out)), "cache", "download")
	return "file://" + filepath.ToSlash(root) + ",file://" + filepath.ToSlash(cache)
}

var (
	sumsOnce sync.Once
	sumsErr  error
)

// RuntimeSums makes sure the module cache holds the checksum database's
// records of the runtime module's requirements, as any machine that has
// run go get for them does. -fix completes go.sum with their checksums
// (see completeSums in internal/driver); the tests run it offline
// (GOPROXY=off), where the go command can verify a module it has not
// seen before only from those cached records. The repository's own builds
// never fetch them: go.work.sum and runtime/go.sum already hold the lines.
// It runs go get once per test process, online as the environment
// configures it, and fails the test with what to do if that fails.
func RuntimeSums(t testing.TB) {
	t.Helper()
	sumsOnce.Do(func() { sumsErr = fetchRuntimeSums(RepoRoot(t)) })
	if sumsErr != nil {
		t.Fatalf("the -fix tests need the checksums of the runtime's requirements in the module cache: %v (with network access to GOPROXY, or after one go get of them, this passes)", sumsErr)
	}
}

func fetchRuntimeSums(root string) error {
	data, err := os.ReadFile(filepath.Join(root, "runtime", "go.mod"))
	if err != nil {
		return err
	}
	mf, err := modfile.ParseLax("runtime/go.mod", data, nil)
	if err != nil {
		return err
	}
	var mods []string
	for _, r := range mf.Require {
		mods = append(mods, r.Mod.Path+"@"+r.Mod.Version)
	}
	if len(mods) == 0 {
		return nil
	}
	dir, err := os.MkdirTemp("", "resilvet-sums-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module sums\n\ngo 1.21\n"), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", append([]string{"get"}, mods...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go get %s: %w\n%s", strings.Join(mods, " "), err, out)
	}
	return nil
}
