package linttest

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"maps"
	"os"
	"slices"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/txtar"
)

// This file checks suggested fixes against .golden files with
// analysistest.RunWithSuggestedFixes's rules: per package, every fix of
// every diagnostic is applied to the original file (identical edits
// coalesce, overlapping ones are a conflict and fail the test), fixes in
// generated files are ignored, and the result, formatted, must equal the
// golden formatted. A golden that is a txtar archive holds one section per
// fix message, each the file with only that message's fixes applied.

// An edit replaces bytes [start, end) of a file.
type edit struct {
	start, end int
	text       string
}

// checkGoldens checks act's fixes against the goldens of the files they
// edit.
func checkGoldens(t errorer, tr *tree, act *checker.Action) {
	t.Helper()
	fset := act.Package.Fset
	generated := make(map[*token.File]bool)
	for _, f := range act.Package.Syntax {
		generated[fset.File(f.Pos())] = ast.IsGenerated(f)
	}

	// byMessage[message] is the edits, by file name, of each fix with that
	// message.
	byMessage := make(map[string][]map[string][]edit)
	files := make(map[string]bool)
	for _, d := range act.Diagnostics {
	fixes:
		for _, fix := range d.SuggestedFixes {
			for _, e := range fix.TextEdits {
				if generated[fset.File(e.Pos)] {
					continue fixes // a fix in a generated file is never applied
				}
			}
			edits := make(map[string][]edit)
			for _, e := range fix.TextEdits {
				f := fset.File(e.Pos)
				files[f.Name()] = true
				edits[f.Name()] = append(edits[f.Name()], edit{f.Offset(e.Pos), f.Offset(e.End), string(e.NewText)})
			}
			byMessage[fix.Message] = append(byMessage[fix.Message], edits)
		}
	}

	for _, filename := range slices.Sorted(maps.Keys(files)) {
		name := tr.sanitize(filename)
		original, err := os.ReadFile(filename)
		if err != nil {
			t.Errorf("error reading %s: %v", filename, err)
			continue
		}
		ar, err := txtar.ParseFile(filename + ".golden")
		if err != nil {
			t.Errorf("error reading %s.golden: %v", filename, err)
			continue
		}
		// accumulate merges the edits to this file of every fix of messages.
		accumulate := func(messages ...string) []edit {
			t.Helper()
			var all []edit
			for _, m := range messages {
				for _, fix := range byMessage[m] {
					merged, ok := merge(all, fix[filename])
					if !ok {
						t.Errorf("in file %s, conflict applying fix %q", name, m)
						continue // keep what was merged
					}
					all = merged
				}
			}
			return all
		}
		if len(ar.Files) == 0 {
			if err := compare(name, original, ar.Comment, accumulate(slices.Sorted(maps.Keys(byMessage))...)); err != nil {
				t.Errorf("all fixes: %v", err)
			}
			continue
		}
		if len(ar.Comment) > 0 {
			t.Errorf("%s.golden has leading comment; we don't know what to do with it", name)
			continue
		}
		for _, section := range ar.Files {
			if err := compare(name, original, section.Data, accumulate(section.Name)); err != nil {
				t.Errorf("all fixes of message %q: %v", section.Name, err)
			}
		}
	}
}

// merge merges two sorted lists of edits, coalescing identical ones, and
// reports false if they overlap otherwise.
func merge(x, y []edit) ([]edit, bool) {
	y = slices.Clone(y)
	slices.SortStableFunc(y, func(a, b edit) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	var out []edit
	for len(x) > 0 && len(y) > 0 {
		a, b := x[0], y[0]
		switch {
		case a == b:
			out = append(out, a)
			x, y = x[1:], y[1:]
		case a.end <= b.start: // a is before b, or inserts where b starts
			out = append(out, a)
			x = x[1:]
		case b.end <= a.start:
			out = append(out, b)
			y = y[1:]
		default:
			return nil, false
		}
	}
	return append(append(out, x...), y...), true
}

// compare applies edits to original and compares the result with want,
// both formatted.
func compare(name string, original, want []byte, edits []edit) error {
	if len(edits) == 0 {
		return fmt.Errorf("%s: no edits", name)
	}
	var fixed []byte
	at := 0
	for _, e := range edits {
		if e.start < at || e.end > len(original) {
			return fmt.Errorf("%s: error applying fixes: edit [%d, %d) out of order or range", name, e.start, e.end)
		}
		fixed = append(append(fixed, original[at:e.start]...), e.text...)
		at = e.end
	}
	fixed = append(fixed, original[at:]...)
	got, err := format.Source(fixed)
	if err != nil {
		return fmt.Errorf("%s: error formatting resulting source: %w\n%s", name, err, fixed)
	}
	if want, err = format.Source(want); err != nil {
		return fmt.Errorf("%s.golden: error formatting golden file: %w", name, err)
	}
	got, want = bytes.TrimSpace(got), bytes.TrimSpace(want)
	if !bytes.Equal(got, want) {
		return fmt.Errorf("unexpected %s content: the fixed file differs from the golden from line %d:\n-- fixed --\n%s\n-- want --\n%s",
			name, firstDiff(got, want), got, want)
	}
	return nil
}

// firstDiff returns the first line, counting from 1, on which a and b
// differ.
func firstDiff(a, b []byte) int {
	n := 1
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '\n' {
			n++
		}
	}
	return n
}
