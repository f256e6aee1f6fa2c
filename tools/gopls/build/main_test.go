package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPatchPinned applies the patch to the pinned gopls's source: it
// applies exactly once, and leaves the rest of the file alone.
func TestPatchPinned(t *testing.T) {
	gopls, err := module(goplsPath)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := module(toolsPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkTools(gopls, tools); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(gopls.Dir, settingsDir, "analysis.go"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := patch(src)
	if err != nil {
		t.Fatalf("gopls %s: %v", gopls.Version, err)
	}
	if want := bytes.Replace(src, []byte(patchPoint), []byte(patched), 1); !bytes.Equal(got, want) || bytes.Equal(got, src) {
		t.Errorf("patch changed more or less than the patch point")
	}
}

// TestPatchMoved checks that a patch point that moved is an error, not a
// gopls built without resilvet.
func TestPatchMoved(t *testing.T) {
	const head = "package settings\n\nfunc initAnalyzers() (res []*Analyzer) {\n\tres = append(res, x)\n"
	for name, src := range map[string]string{
		"no initAnalyzers":  "package settings\n\nfunc analyzers() (res []*Analyzer) {\n" + patchPoint,
		"another last line": head + "\treturn res\n}\n\nfunc f() []*Analyzer {\n" + patchPoint,
		"two patch points":  head + patchPoint + "\nfunc g() []*Analyzer {\n" + patchPoint,
		"renamed result":    strings.Replace(head, "(res []*Analyzer)", "(all []*Analyzer)", 1) + patchPoint,
	} {
		if got, err := patch([]byte(src)); err == nil {
			t.Errorf("%s: patched without error:\n%s", name, got)
		}
	}
	if _, err := patch([]byte(head + patchPoint)); err != nil {
		t.Errorf("the expected shape: %v", err)
	}
}
