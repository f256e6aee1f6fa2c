package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// runEnv runs resilvet in the corpus module.
type runEnv struct {
	bin   string   // resilvet binary
	dir   string   // the corpus module's directory
	flags []string // -NAME.rules=+all for every analyzer

	gomodcache, goroot string // for short file names
	env                []string
}

func (e *runEnv) init() error {
	// GOWORK=off: the corpus is not in the repository's workspace.
	// GOPROXY=off: everything the corpus needs is in the module cache.
	e.env = append(os.Environ(), "GOWORK=off", "GOPROXY=off")
	out, err := e.goCmd("env", "GOMODCACHE", "GOROOT")
	if err != nil {
		return err
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 {
		return fmt.Errorf("go env printed %q", out)
	}
	e.gomodcache, e.goroot = lines[0], lines[1]
	return nil
}

// A finding is one diagnostic of the JSON output.
type finding struct {
	rule    string // analyzer/rule
	file    string // absolute
	line    int
	col     int
	message string
	fixes   int // suggested fixes offered
}

// targetResult is what one resilvet run over a target found.
type targetResult struct {
	target
	findings []finding
	packages int // packages matched by the patterns
	lines    lineCount
	status   int // resilvet's exit status, -1 if it did not run
	seconds  float64

	analyzerErrs []string // package: analyzer: error
	skipped      []string // the same, for analyses skipped because a package or a dependency did not load
	loadErrs     []string // stderr lines of load errors
	crash        string   // a panic, or output that is not JSON
}

func (r *targetResult) problemSummary() string {
	var p []string
	if r.crash != "" {
		p = append(p, "CRASH")
	}
	if n := len(r.analyzerErrs); n > 0 {
		p = append(p, fmt.Sprintf("%d analyzer errors", n))
	}
	if n := len(r.loadErrs); n > 0 {
		p = append(p, fmt.Sprintf("%d load errors", n))
	}
	if n := len(r.skipped); n > 0 {
		p = append(p, fmt.Sprintf("%d analyses skipped for them", n))
	}
	if len(p) == 0 {
		return ""
	}
	return " (" + strings.Join(p, ", ") + ")"
}

// analyse runs resilvet -json on t and counts its lines.
func (e *runEnv) analyse(t target) *targetResult {
	r := &targetResult{target: t, status: -1}
	pkgs, lines, err := e.packages(t)
	if err != nil {
		r.crash = "listing packages: " + err.Error()
		return r
	}
	r.packages, r.lines = len(pkgs), lines

	args := append(append([]string{"-json"}, e.flags...), pkgs...)
	cmd := exec.Command(e.bin, args...)
	cmd.Dir, cmd.Env = e.dir, e.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	r.seconds = time.Since(start).Seconds()
	var exit *exec.ExitError
	switch {
	case err == nil:
		r.status = 0
	case errors.As(err, &exit):
		r.status = exit.ExitCode()
	default:
		r.crash = err.Error()
		return r
	}

	// A Go panic also exits with status 2: tell it apart by its trace.
	if i := bytes.Index(stderr.Bytes(), []byte("panic: ")); i >= 0 {
		r.crash = firstLines(stderr.String()[i:], 12)
	} else if r.status > 2 || r.status < 0 {
		r.crash = fmt.Sprintf("exit status %d: %s", r.status, firstLines(stderr.String(), 12))
	}
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if l != "" && r.crash == "" {
			r.loadErrs = append(r.loadErrs, l)
		}
	}
	if err := r.parse(stdout.Bytes()); err != nil && r.crash == "" {
		r.crash = "output is not go vet's JSON tree: " + err.Error()
	}
	return r
}

// parse reads go vet's -json tree: package → analyzer → diagnostics or
// {"error": …}.
func (r *targetResult) parse(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // no findings and no errors
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &tree); err != nil {
		return err
	}
	for _, pkg := range sortedKeys(tree) {
		for _, analyzer := range sortedKeys(tree[pkg]) {
			raw := tree[pkg][analyzer]
			var e struct{ Error string }
			if json.Unmarshal(raw, &e) == nil && e.Error != "" {
				msg := fmt.Sprintf("%s: %s: %s", pkg, analyzer, e.Error)
				if strings.HasPrefix(e.Error, "failed prerequisites: ") || e.Error == "analysis skipped due to errors in package" {
					// go/analysis/checker's words for "a package or a
					// dependency has a load error": not the analyzer's fault.
					r.skipped = append(r.skipped, msg)
				} else {
					r.analyzerErrs = append(r.analyzerErrs, msg)
				}
				continue // not a list of diagnostics
			}
			var diags []struct {
				Category, Posn, Message string
				SuggestedFixes          []json.RawMessage `json:"suggested_fixes"`
			}
			if err := json.Unmarshal(raw, &diags); err != nil {
				return fmt.Errorf("%s: %s: %w", pkg, analyzer, err)
			}
			for _, d := range diags {
				f, err := parsePosn(d.Posn)
				if err != nil {
					return err
				}
				f.rule, f.message, f.fixes = d.Category, d.Message, len(d.SuggestedFixes)
				r.findings = append(r.findings, f)
			}
		}
	}
	return nil
}

// parsePosn parses "file:line:col".
func parsePosn(posn string) (finding, error) {
	rest, col, ok1 := cutLast(posn)
	file, line, ok2 := cutLast(rest)
	if !ok1 || !ok2 {
		return finding{}, fmt.Errorf("position %q is not file:line:col", posn)
	}
	return finding{file: file, line: line, col: col}, nil
}

func cutLast(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	return s[:i], n, err == nil
}

// lineCount is the size of the analysed packages' non-test .go files.
type lineCount struct {
	total, handwritten int // handwritten: not generated
}

func (n *lineCount) add(m lineCount) {
	n.total += m.total
	n.handwritten += m.handwritten
}

// generated matches the standard "Code generated" comment.
var generated = regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`)

// listedPackage is what go list says of a package.
type listedPackage struct {
	ImportPath        string
	Dir               string
	GoFiles, CgoFiles []string
	Module            *struct{ Path string }
	Error             *struct{ Err string }
}

// packages returns the packages of t to analyse and the lines of their
// non-test Go files (GoFiles and CgoFiles, for this platform). For std it
// is what the patterns match. For a module it is every package directory
// of the module's tree (not testdata, vendor, _ or . directories, nor
// nested modules) that go list assigns to the module and that has Go files
// for this platform: the pattern M/... would also match packages of other
// modules whose paths start with M, which the corpus does not pin.
func (e *runEnv) packages(t target) ([]string, lineCount, error) {
	args := t.patterns
	if t.version != "" {
		var err error
		if args, err = e.moduleDirs(t.name); err != nil {
			return nil, lineCount{}, err
		}
	}
	out, err := e.goCmd(append([]string{"list", "-e", "-json=ImportPath,Dir,GoFiles,CgoFiles,Module,Error"}, args...)...)
	if err != nil {
		return nil, lineCount{}, err
	}
	var (
		n     lineCount
		paths []string
	)
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			return nil, n, err
		}
		if t.version != "" && (p.Module == nil || p.Module.Path != t.name) {
			continue // another module's package
		}
		if p.Error != nil && (strings.Contains(p.Error.Err, "build constraints exclude all Go files") ||
			strings.Contains(p.Error.Err, "no Go files")) {
			continue // nothing to analyse on this platform
		}
		paths = append(paths, p.ImportPath)
		for _, name := range slices.Concat(p.GoFiles, p.CgoFiles) {
			total, gen, err := fileLines(p.Dir + "/" + name)
			if err != nil {
				return nil, n, err
			}
			n.total += total
			if !gen {
				n.handwritten += total
			}
		}
	}
	return paths, n, nil
}

// moduleDirs returns the import paths of the directories of module mod
// that may hold a package.
func (e *runEnv) moduleDirs(mod string) ([]string, error) {
	out, err := e.goCmd("list", "-m", "-f", "{{.Dir}}", mod)
	if err != nil {
		return nil, err
	}
	root := strings.TrimSpace(string(out))
	var paths []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil // directories only
		}
		name := d.Name()
		if path != root {
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
				return filepath.SkipDir // never a package of the module
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // a nested module
			}
		}
		goFiles, _ := filepath.Glob(filepath.Join(path, "*.go"))
		if len(goFiles) == 0 {
			return nil // no package here
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		paths = append(paths, strings.TrimSuffix(mod+"/"+filepath.ToSlash(rel), "/."))
		return nil
	})
	return paths, err
}

// goCmd runs the go command in the corpus module.
func (e *runEnv) goCmd(args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = e.dir, e.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w: %s", args[0], err, firstLines(stderr.String(), 5))
	}
	return out, nil
}

// fileLines returns the number of lines of a Go file and whether it is
// generated (a "Code generated" line before the package clause).
func fileLines(name string) (int, bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	lines, gen, inHeader := 0, false, true
	for sc.Scan() {
		lines++
		if inHeader {
			l := sc.Text()
			gen = gen || generated.MatchString(l)
			inHeader = !strings.HasPrefix(l, "package ")
		}
	}
	return lines, gen, sc.Err()
}

// directRequirements returns the direct requirements of a go.mod, printed
// by go mod edit -json, as targets.
func directRequirements(gomodJSON []byte) (map[string]target, error) {
	var mod struct {
		Require []struct {
			Path, Version string
			Indirect      bool
		}
	}
	if err := json.Unmarshal(gomodJSON, &mod); err != nil {
		return nil, err
	}
	mods := make(map[string]target)
	for _, r := range mod.Require {
		if !r.Indirect {
			mods[r.Path] = target{name: r.Path, version: r.Version, patterns: []string{r.Path + "/..."}}
		}
	}
	return mods, nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
