package main_test

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/driver"
	"github.com/resilvet/resilvet/internal/e2e"
)

// exampleClone stands for the clone's directory in the README's example.
const exampleClone = "/home/you/resilvet"

func readDoc(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(e2e.RepoRoot(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// codeBlock returns the first fenced block of doc after the first line
// containing marker.
func codeBlock(t *testing.T, doc, marker string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, marker)
	if !ok {
		t.Fatalf("no %q in the document", marker)
	}
	_, rest, ok = strings.Cut(rest, "\n```")
	if ok {
		_, rest, ok = strings.Cut(rest, "\n") // the fence's info string
	}
	block, _, closed := strings.Cut(rest, "```\n")
	if !ok || !closed {
		t.Fatalf("no code block after %q", marker)
	}
	return block
}

// TestDocsOutput checks that the outputs README.md and docs/editors.md show
// are what the command prints on cmd/resilvet/testdata/example: standalone,
// -fix, go vet, and the golangci-lint line built from the same finding
// (issue 12, item 13).
func TestDocsOutput(t *testing.T) {
	t.Parallel()
	bin := e2e.Binary(t)
	readme, editors := readDoc(t, "README.md"), readDoc(t, "docs/editors.md")

	dir := e2e.CopyModule(t, filepath.Join("testdata", "example"))
	check := res(t, dir, bin, "./...")
	fix := res(t, dir, bin, "-fix", "./...")
	got := "$ resilvet ./...\n" + check + "$ resilvet -fix ./...\n" + strings.ReplaceAll(fix, e2e.RepoRoot(t), exampleClone)
	if want := codeBlock(t, readme, "\n### Output\n"); got != want {
		t.Errorf("README.md's Output example is not the command's output:\n--- README\n%s--- command\n%s", want, got)
	}

	dir = e2e.CopyModule(t, filepath.Join("testdata", "example"))
	vet := e2e.Run(t, dir, "go", "vet", "-vettool="+bin, "./...")
	// go vet prints a package's analyzers in map order: compare the lines.
	if want := codeBlock(t, editors, "On `cmd/resilvet/testdata/example`"); sortedLines(vet.Stderr) != sortedLines(want) {
		t.Errorf("docs/editors.md's go vet example is not go vet's output:\n--- editors.md\n%s--- go vet\n%s", want, vet.Stderr)
	}

	// golangci-lint prints "file:line:col: analyzer: message (linter)",
	// and the plugin ends the message with the rule.
	first, _, _ := strings.Cut(check, "\n")
	m := regexp.MustCompile(`^(\S+:\d+:\d+): (.*) \(([a-z]+)/([a-z-]+)\)$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first finding %q", first)
	}
	golangci := m[1] + ": " + m[3] + ": " + m[2] + " (" + m[3] + "/" + m[4] + ") (resilvet)\n"
	if want := codeBlock(t, editors, "so the rule is in every message:"); want != golangci {
		t.Errorf("docs/editors.md's golangci-lint line:\n%s\nwant, from the command's finding:\n%s", want, golangci)
	}
	// package plugin's doc (pkg.go.dev) shows the same line.
	if plugin := readDoc(t, "plugin/doc.go"); !strings.Contains(plugin, "\n//\t"+golangci) {
		t.Errorf("plugin/doc.go's golangci-lint line is not, from the command's finding:\n%s", golangci)
	}
}

func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func res(t *testing.T, dir, bin string, args ...string) string {
	t.Helper()
	r := e2e.Run(t, dir, bin, args...)
	if r.Code > 1 {
		t.Fatalf("resilvet %v: exit %d\n%s", args, r.Code, r.Stderr)
	}
	return r.Stdout + r.Stderr
}

// toolRE matches the tool path of a -vettool or -fixtool flag in a document.
var toolRE = regexp.MustCompile("-(?:vet|fix)tool=(\"[^\"]*\"|(?:\\$\\([^)]*\\)|[^\\s`\"\\]])+)")

// TestToolPaths checks that every -vettool and -fixtool path the documents
// and `resilvet help` show expands, in a shell where resilvet is not on
// PATH, to a full path: `-vettool=` with an empty path makes go vet run its
// own analyzers and report a module clean (issue 12, item 6).
func TestToolPaths(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	var help bytes.Buffer
	driver.Run(resilvet.Suite, []string{"help"}, &help, io.Discard)
	docs := map[string]string{
		"README.md":       readDoc(t, "README.md"),
		"docs/editors.md": readDoc(t, "docs/editors.md"),
		"resilvet help":   help.String(),
	}
	gopath := t.TempDir()
	n := 0
	for name, doc := range docs {
		for _, m := range toolRE.FindAllStringSubmatch(doc, -1) {
			if m[1] == "…" {
				continue // an elided path, as in "go vet -vettool=… -fix"
			}
			n++
			cmd := exec.Command(sh, "-c", "printf %s "+m[1])
			cmd.Env = []string{"PATH=" + filepath.Dir(goBin) + ":/usr/bin:/bin", "GOPATH=" + gopath, "HOME=" + gopath, "GOTOOLCHAIN=local"}
			out, err := cmd.Output()
			if err != nil || !filepath.IsAbs(string(out)) {
				t.Errorf("%s: %s expands to %q (%v) where resilvet is not on PATH, not to a full path", name, m[0], out, err)
			}
		}
	}
	if n < 4 {
		t.Errorf("found only %d tool paths in the documents: update toolRE", n)
	}
}

// TestReadmeInstall runs the README's first command as a newcomer would: in
// a fresh clone (a copy of this tree, committed, so the go command stamps
// the build with the commit's pseudo-version, as it does by default), on a
// machine where the GOPATH's bin directory is not on PATH and GOBIN points
// elsewhere. It checks that the binary is where the README's commands look
// for it and is a development build that takes the runtime from its clone
// (issue 12, items 2 and 6). It runs `resilvet version` rather than
// analysing std, which takes minutes.
func TestReadmeInstall(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the command; skipped with -short")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	top := codeBlock(t, readDoc(t, "README.md"), "# resilvet\n")
	line, _, _ := strings.Cut(top, "\n")
	command, _, _ := strings.Cut(line, "   #")
	command = strings.TrimSpace(command)
	if !strings.HasSuffix(command, " std") {
		t.Fatalf("the README's first command does not analyse std: %q", command)
	}
	command = strings.TrimSuffix(command, " std") + " version"

	clone := filepath.Join(t.TempDir(), "resilvet")
	copyTree(t, e2e.RepoRoot(t), clone)
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=n", "-c", "user.email=n@example.com", "commit", "-q", "-m", "clone"}} {
		if out, err := exec.Command(git, append([]string{"-C", clone}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	goBin, _ := exec.LookPath("go")
	gopath := t.TempDir()
	env := []string{
		"PATH=" + filepath.Dir(goBin) + ":" + filepath.Dir(git) + ":/usr/bin:/bin",
		"GOPATH=" + gopath,
		"GOBIN=" + t.TempDir(), // a user's GOBIN must not send the binary elsewhere
		"GOMODCACHE=" + strings.TrimSpace(string(modcache)),
		"GOFLAGS=-buildvcs=auto", // the go command's default, which this machine's go env may override
	}
	res := e2e.RunEnv(t, clone, env, "sh", "-c", command)
	want := "resilvet (devel) "
	if res.Code != 0 || !strings.HasPrefix(res.Stdout, want) || !strings.HasSuffix(res.Stdout, "\nruntime source: "+filepath.Join(clone, "runtime")+"\n") {
		t.Errorf("%s: exit %d, want a development build whose runtime source is %s\n%s%s", command, res.Code, filepath.Join(clone, "runtime"), res.Stdout, res.Stderr)
	}
	if _, err := os.Stat(filepath.Join(gopath, "bin", "resilvet")); err != nil {
		t.Errorf("the binary is not where the README's commands look for it: %v", err)
	}
	if vcs := e2e.Run(t, clone, "go", "version", "-m", filepath.Join(gopath, "bin", "resilvet")); !strings.Contains(vcs.Stdout, "vcs.revision=") {
		t.Errorf("the build is not stamped from git, so this test checks nothing new:\n%s", vcs.Stdout)
	}
}

// copyTree copies the files of the directory src to dst, leaving out .git.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil // a worktree's .git file
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
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
