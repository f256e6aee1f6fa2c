package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// maxOutput bounds what one command's output keeps: a runaway program must
// not fill memory; its output differs from the expected one either way.
const maxOutput = 4 << 20

// A run is what one command did.
type run struct {
	Output   string
	Exit     int  // -1: did not start or was killed
	TimedOut bool `json:",omitempty"`
}

func (r run) ok() bool { return r.Exit == 0 && !r.TimedOut }

// command runs name with args in dir, with env added to the scratch
// environment, and kills it after timeout. Its standard output and error
// are one stream, as cmd/internal/testdir captures them.
func command(dir string, env []string, timeout time.Duration, name string, args ...string) run {
	var out limitedBuffer
	return commandTo(&out, &out, dir, env, timeout, name, args...)
}

// commandStdout is command with standard output apart: it returns what the
// command wrote there, and its standard error in the run's Output.
func commandStdout(dir string, env []string, timeout time.Duration, name string, args ...string) (string, run) {
	var stdout, stderr limitedBuffer
	r := commandTo(&stdout, &stderr, dir, env, timeout, name, args...)
	return stdout.String(), r
}

func commandTo(stdout, out *limitedBuffer, dir string, env []string, timeout time.Duration, name string, args ...string) run {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(scratchEnv(), env...)
	cmd.WaitDelay = 5 * time.Second // a child holding the pipes open
	cmd.Stdout, cmd.Stderr = stdout, out
	err := cmd.Run()
	r := run{Output: strings.ReplaceAll(out.String(), "\r\n", "\n")}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.Exit, r.TimedOut = -1, true
	case errors.As(err, &exit):
		r.Exit = exit.ExitCode()
	case err != nil:
		r.Exit = -1
		r.Output += err.Error()
	}
	return r
}

// scratchEnv is the environment of every command: no workspace, no
// network, this toolchain, and none of the caller's GOFLAGS or
// experiments (the recipes set their own).
func scratchEnv() []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS", "GOWORK", "GOPROXY", "GOTOOLCHAIN", "GOEXPERIMENT", "GODEBUG", "GOOS", "GOARCH", "PWD":
			return true
		}
		return false
	})
	return append(env, "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
}

// limitedBuffer keeps the first maxOutput bytes written to it.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxOutput - b.Len(); room < len(p) {
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

var vetPosition = regexp.MustCompile(`^(?:\./)?([^:\s]+\.go):[0-9]+(?::[0-9]+)?: `)

// vetKeys returns go vet's diagnostics as "file: message", positions
// dropped (fixes move lines), without the go command's own lines.
func vetKeys(output string) []string {
	var keys []string
	for _, l := range strings.Split(output, "\n") {
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "go: ") {
			continue // the go command's, not a diagnostic
		}
		keys = append(keys, vetPosition.ReplaceAllString(l, "$1: "))
	}
	slices.Sort(keys)
	return keys
}

// added returns the elements of after that before does not have, counted
// as multisets: a second copy of a diagnostic is new.
func added(before, after []string) []string {
	count := make(map[string]int)
	for _, k := range before {
		count[k]++
	}
	var out []string
	for _, k := range after {
		if count[k] > 0 {
			count[k]--
			continue
		}
		out = append(out, k)
	}
	return out
}

// snapshot returns the content of every file under dir, by relative name.
func snapshot(dir string) (map[string]string, error) {
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(data)
		return nil
	})
	return files, err
}

// changedFiles returns the names of the files that differ between two
// snapshots, sorted.
func changedFiles(before, after map[string]string) []string {
	var names []string
	for name, content := range after {
		if prev, ok := before[name]; !ok || prev != content {
			names = append(names, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// firstLines returns the first n lines of s, marking a cut.
func firstLines(s string, n int) string {
	lines := strings.SplitAfter(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "")
	}
	return strings.Join(lines[:n], "") + "…\n"
}
