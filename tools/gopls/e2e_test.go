package gopls

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/e2e"
	"github.com/resilvet/resilvet/tools/gopls/internal/lsp"
	"github.com/resilvet/resilvet/tools/gopls/suite"
)

// wait bounds every wait for the server: the first diagnostics of a cold
// cache analyse the standard library's packages the fixture imports.
const wait = 5 * time.Minute

// TestGopls speaks LSP over stdio to the patched gopls as an editor does.
// It needs the binary (built here unless RESILVET_GOPLS_BIN names one) and
// a minute or more, so it runs only when RESILVET_GOPLS_E2E=1, as .ci/run
// sets it; give it -timeout 30m, since a cold build cache and a loaded
// machine can take longer than go test's default ten minutes.
func TestGopls(t *testing.T) {
	if testing.Short() || os.Getenv("RESILVET_GOPLS_E2E") != "1" {
		t.Skip("set RESILVET_GOPLS_E2E=1 to run gopls end to end")
	}
	bin := binary(t)
	dir := e2e.CopyModule(t, "testdata/fixture")
	cache := t.TempDir() // shared by both servers: see "settings"

	t.Run("editor", func(t *testing.T) {
		// detached-call is off by default: RESILVET_FLAGS switches it on.
		s := start(t, bin, dir, cache, "-unshielded.rules=+detached-call")
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		info, err := s.Initialize(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		// gopls's serverInfo version is its version -json output.
		var v struct{ Version string }
		if err := json.Unmarshal([]byte(info), &v); err != nil || !strings.HasSuffix(v.Version, "+resilvet") {
			t.Errorf("serverInfo version %.200s: version %q (%v), want one saying the gopls is patched (+resilvet)", info, v.Version, err)
		}

		// The diagnostics of a file with a bare goroutine and an
		// exec.Command beside a ctx.
		lib := filepath.Join(dir, "lib", "lib.go")
		text := read(t, lib)
		mark := s.Mark()
		if err := s.Open(lib, text); err != nil {
			t.Fatal(err)
		}
		p, err := s.Await(ctx, mark, lsp.URI(lib), has("printf", "fireforget/untracked", "unshielded/detached-call"))
		if err != nil {
			t.Fatalf("%v; last published: %s\nstderr:\n%s", err, latest(s, lib), s.Stderr())
		}
		checkDiagnostics(t, text, p, map[string]string{
			"fireforget/untracked":     "go func() {",
			"unshielded/detached-call": "return exec.Command(name).Run()",
		})

		// No fix for the goroutine: it would import the runtime, which
		// this package does not reach.
		untracked := find(t, p, "fireforget/untracked")
		actions, err := s.CodeActions(ctx, lib, untracked)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if a.Edit != nil && strings.Contains(strings.Join(newTexts(a.Edit.Edits(lsp.URI(lib))), ""), "resilvet/runtime") {
				t.Errorf("quick fix %q imports the runtime into a package that does not reach it", a.Title)
			}
		}

		// The quick fix for the exec.Command, applied as an editor applies
		// it, then sent back: that diagnostic is gone, the others stay.
		text = applyFix(ctx, t, s, lib, text, find(t, p, "unshielded/detached-call"), "lib/lib.go.golden")
		mark = s.Mark()
		if err := s.Change(lib, 2, text); err != nil {
			t.Fatal(err)
		}
		p, err = s.Await(ctx, mark, lsp.URI(lib), func(p lsp.Published) bool {
			return version(p) == 2 && has("printf")(p)
		})
		if err != nil {
			t.Fatalf("%v; last published: %s", err, latest(s, lib))
		}
		checkDiagnostics(t, text, p, map[string]string{"fireforget/untracked": "go func() {"})

		// Where the package already uses the runtime, the goroutine's fix
		// is offered: task.Go.
		tasks := filepath.Join(dir, "tasks", "tasks.go")
		tasksText := read(t, tasks)
		mark = s.Mark()
		if err := s.Open(tasks, tasksText); err != nil {
			t.Fatal(err)
		}
		p, err = s.Await(ctx, mark, lsp.URI(tasks), has("fireforget/untracked"))
		if err != nil {
			t.Fatalf("%v; last published: %s", err, latest(s, tasks))
		}
		tasksText = applyFix(ctx, t, s, tasks, tasksText, find(t, p, "fireforget/untracked"), "tasks/tasks.go.golden")
		mark = s.Mark()
		if err := s.Change(tasks, 2, tasksText); err != nil {
			t.Fatal(err)
		}
		p, err = s.Await(ctx, mark, lsp.URI(tasks), func(p lsp.Published) bool { return version(p) == 2 })
		if err != nil {
			t.Fatalf("%v; last published: %s", err, latest(s, tasks))
		}
		// Analysis may publish after the type checker; give it the time
		// the first analysis took, then look at what is shown last.
		if err := settle(ctx, s, tasks); err != nil {
			t.Fatal(err)
		}
		p, _ = s.Latest(lsp.URI(tasks))
		checkDiagnostics(t, tasksText, p, nil)

		// A syntax error: reported, no crash, and analysis comes back
		// when it is mended.
		broken := strings.Replace(text, "func Spawn() {", "func Spawn( {", 1)
		mark = s.Mark()
		if err := s.Change(lib, 3, broken); err != nil {
			t.Fatal(err)
		}
		p, err = s.Await(ctx, mark, lsp.URI(lib), func(p lsp.Published) bool {
			return version(p) == 3 && slices.ContainsFunc(p.Diagnostics, func(d lsp.Diagnostic) bool { return d.Source == "syntax" })
		})
		if err != nil {
			t.Fatalf("syntax error: %v; last published: %s\nstderr:\n%s", err, latest(s, lib), s.Stderr())
		}
		mark = s.Mark()
		if err := s.Change(lib, 4, text); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Await(ctx, mark, lsp.URI(lib), func(p lsp.Published) bool {
			return version(p) == 4 && has("printf", "fireforget/untracked")(p)
		}); err != nil {
			t.Fatalf("after the syntax error is mended: %v; last published: %s\nstderr:\n%s", err, latest(s, lib), s.Stderr())
		}

		// A file outside any module: whatever gopls says of it, it goes
		// on answering.
		loose := filepath.Join(t.TempDir(), "loose.go")
		looseText := "package loose\n\nimport \"time\"\n\nfunc Spawn() {\n\tgo func() {\n\t\tfor {\n\t\t\ttime.Sleep(time.Second)\n\t\t}\n\t}()\n}\n"
		if err := os.WriteFile(loose, []byte(looseText), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := s.Open(loose, looseText); err != nil {
			t.Fatal(err)
		}
		var symbols []struct{ Name string }
		if err := s.Call(ctx, "textDocument/documentSymbol", map[string]any{
			"textDocument": map[string]any{"uri": lsp.URI(loose)},
		}, &symbols); err != nil {
			t.Errorf("documentSymbol of a file outside any module: %v", err)
		}
		if !slices.ContainsFunc(symbols, func(s struct{ Name string }) bool { return s.Name == "Spawn" }) {
			t.Errorf("documentSymbol of a file outside any module: %v, want Spawn", symbols)
		}
		if err := settle(ctx, s, loose); err != nil {
			t.Fatal(err)
		}
		t.Logf("outside any module, gopls published: %s", latest(s, loose))

		closeServer(t, s)
	})

	// A rule off by default (detached-call, which the first server
	// switched on through RESILVET_FLAGS) and an analyzer switched off
	// through gopls's "analyses" setting are silent. The server shares the
	// cache of the first, which analysed the same files under other flags:
	// those results must not be shown.
	t.Run("settings", func(t *testing.T) {
		s := start(t, bin, dir, cache, "")
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if _, err := s.Initialize(ctx, dir); err != nil {
			t.Fatal(err)
		}
		lib := filepath.Join(dir, "lib", "lib.go")
		text := read(t, lib)
		mark := s.Mark()
		if err := s.Open(lib, text); err != nil {
			t.Fatal(err)
		}
		p, err := s.Await(ctx, mark, lsp.URI(lib), has("printf", "fireforget/untracked"))
		if err != nil {
			t.Fatalf("%v; last published: %s\nstderr:\n%s", err, latest(s, lib), s.Stderr())
		}
		checkDiagnostics(t, text, p, map[string]string{"fireforget/untracked": "go func() {"})

		s.SetSettings(map[string]any{"analyses": map[string]any{"fireforget": false}})
		mark = s.Mark()
		if err := s.Notify("workspace/didChangeConfiguration", map[string]any{"settings": nil}); err != nil {
			t.Fatal(err)
		}
		p, err = s.Await(ctx, mark, lsp.URI(lib), func(p lsp.Published) bool {
			return has("printf")(p) && !has("fireforget/untracked")(p)
		})
		if err != nil {
			t.Fatalf("analyses: {fireforget: false}: %v; last published: %s", err, latest(s, lib))
		}
		checkDiagnostics(t, text, p, nil)
		closeServer(t, s)
	})

	t.Run("bad flags", func(t *testing.T) {
		cmd := exec.Command(bin, "version")
		cmd.Env = env(t, cache, "-unshielded.rules=-nosuch")
		out, err := cmd.CombinedOutput()
		const want = `gopls: RESILVET_FLAGS: invalid value "-nosuch" for flag -unshielded.rules: unshielded has no rule "nosuch"`
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("gopls with a bad RESILVET_FLAGS: %v\n%s\nwant a failure saying %s", err, out, want)
		}
	})
}

// binary returns the patched gopls: RESILVET_GOPLS_BIN, or one built by
// ./build (minutes on a cold build cache).
func binary(t *testing.T) string {
	if bin := os.Getenv("RESILVET_GOPLS_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	bin := filepath.Join(t.TempDir(), "gopls")
	cmd := exec.Command("go", "run", "./build", bin)
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building gopls: %v\n%s", err, out)
	}
	return bin
}

// env is gopls's environment: offline, outside the workspace, with the
// given cache and RESILVET_FLAGS.
func env(t *testing.T, cache, flags string) []string {
	e := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, suite.Env+"=") || strings.HasPrefix(kv, "GOPLSCACHE=")
	})
	return append(e, "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local", "GOPLSCACHE="+cache, suite.Env+"="+flags)
}

func start(t *testing.T, bin, dir, cache, flags string) *lsp.Server {
	s, err := lsp.Start(bin, dir, env(t, cache, flags))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.Close(10 * time.Second) // a no-op after closeServer
	})
	return s
}

// closeServer shuts the server down and fails unless it exits cleanly,
// having logged no panic or bug report.
func closeServer(t *testing.T, s *lsp.Server) {
	t.Helper()
	if err := s.Close(30 * time.Second); err != nil {
		t.Errorf("shutdown: %v\nstderr:\n%s", err, s.Stderr())
	}
	if stderr := s.Stderr(); strings.Contains(stderr, "panic") || strings.Contains(stderr, "internal error") {
		t.Errorf("gopls reported a failure:\n%s", stderr)
	}
}

// applyFix requests the quick fixes of d, checks that there is exactly one
// with an edit, applies it to text and compares the result with golden.
func applyFix(ctx context.Context, t *testing.T, s *lsp.Server, name, text string, d lsp.Diagnostic, golden string) string {
	t.Helper()
	actions, err := s.CodeActions(ctx, name, d)
	if err != nil {
		t.Fatal(err)
	}
	var edits [][]lsp.TextEdit
	var titles []string
	for _, a := range actions {
		if a.Edit != nil {
			if e := a.Edit.Edits(lsp.URI(name)); len(e) > 0 {
				edits = append(edits, e)
				titles = append(titles, a.Title)
			}
		}
	}
	if len(edits) != 1 {
		t.Fatalf("%s: %d quick fixes with edits for %s (%v), want 1; actions: %+v", name, len(edits), d.Code, titles, actions)
	}
	fixed, err := lsp.Apply(text, edits[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := read(t, filepath.Join("testdata", "fixture", golden)); fixed != want {
		t.Errorf("%s after the quick fix %q:\n%s\nwant (%s):\n%s", name, titles[0], fixed, golden, want)
	}
	return fixed
}

// checkDiagnostics checks that resilvet's diagnostics in p are exactly
// want (category → the trimmed text of the line it is on), each with its
// analyzer as source, its rule as code, the rule's documentation as link
// and warning severity.
func checkDiagnostics(t *testing.T, text string, p lsp.Published, want map[string]string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	seen := make(map[string]bool)
	for _, d := range p.Diagnostics {
		analyzer, _, _ := strings.Cut(d.Code, "/")
		if !inSuite(d.Source) && !inSuite(analyzer) {
			continue // one of gopls's own
		}
		line, ok := want[d.Code]
		switch {
		case !ok || seen[d.Code]:
			t.Errorf("unexpected diagnostic %s at line %d: %s", d.Code, d.Range.Start.Line+1, d.Message)
			continue
		case d.Source != analyzer:
			t.Errorf("%s: source %q, want the analyzer %q", d.Code, d.Source, analyzer)
		case d.CodeDescription == nil || d.CodeDescription.Href != ruleURL(d.Code):
			t.Errorf("%s: link %+v, want %s", d.Code, d.CodeDescription, ruleURL(d.Code))
		case d.Severity != 2:
			t.Errorf("%s: severity %d, want 2 (warning)", d.Code, d.Severity)
		case d.Range.Start.Line >= len(lines) || strings.TrimSpace(lines[d.Range.Start.Line]) != line:
			t.Errorf("%s at line %d, want the line %q", d.Code, d.Range.Start.Line+1, line)
		}
		seen[d.Code] = true
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("no %s diagnostic; published: %+v", code, p.Diagnostics)
		}
	}
}

func inSuite(name string) bool {
	return slices.ContainsFunc(resilvet.Suite, func(a *analysis.Analyzer) bool { return a.Name == name })
}

func ruleURL(category string) string {
	for _, r := range resilvet.Rules {
		if r.Analyzer+"/"+r.Name == category {
			return r.URL
		}
	}
	return ""
}

// has returns a predicate: the diagnostics include every one named, by
// code (resilvet's: analyzer/rule) or by source (the analyzer's name:
// gopls's own analyzers set no category, so their code is "default").
func has(names ...string) func(lsp.Published) bool {
	return func(p lsp.Published) bool {
		for _, n := range names {
			if !slices.ContainsFunc(p.Diagnostics, func(d lsp.Diagnostic) bool { return d.Code == n || d.Source == n }) {
				return false
			}
		}
		return true
	}
}

func find(t *testing.T, p lsp.Published, code string) lsp.Diagnostic {
	t.Helper()
	i := slices.IndexFunc(p.Diagnostics, func(d lsp.Diagnostic) bool { return d.Code == code })
	if i < 0 {
		t.Fatalf("no %s diagnostic in %+v", code, p.Diagnostics)
	}
	return p.Diagnostics[i]
}

// settle waits until nothing has been published for name for a while, so
// that what is shown last can be judged.
func settle(ctx context.Context, s *lsp.Server, name string) error {
	const quiet = 5 * time.Second
	for {
		mark := s.Mark()
		qctx, cancel := context.WithTimeout(ctx, quiet)
		_, err := s.Await(qctx, mark, lsp.URI(name), func(lsp.Published) bool { return true })
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			return nil // quiet
		}
	}
}

func version(p lsp.Published) int {
	if p.Version == nil {
		return 0
	}
	return *p.Version
}

func latest(s *lsp.Server, name string) string {
	p, ok := s.Latest(lsp.URI(name))
	if !ok {
		return "nothing"
	}
	var b strings.Builder
	for _, d := range p.Diagnostics {
		b.WriteString("\n  " + d.Code + " (" + d.Source + "): " + d.Message)
	}
	return b.String()
}

func newTexts(edits []lsp.TextEdit) []string {
	var out []string
	for _, e := range edits {
		out = append(out, e.NewText)
	}
	return out
}

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
