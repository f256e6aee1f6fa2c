package driver

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// relPath returns filename relative to the working directory when it lies
// below it, else unchanged. It also accepts "file:line:col".
func relPath(filename string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(filename) {
		return filename
	}
	if rel, err := filepath.Rel(wd, filename); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return filename
}

// printText prints findings as "file:line:col: message (analyzer/rule)",
// each related location on a following line, indented.
func printText(w io.Writer, findings []*finding, contextLines int) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s:%d:%d: %s (%s)\n", relPath(f.posn.Filename), f.posn.Line, f.posn.Column, f.diag.Message, f.category())
		printContext(w, f.posn.Filename, f.posn.Line, f.end.Line, contextLines)
		for _, r := range f.diag.Related {
			rp := f.fset.Position(r.Pos)
			fmt.Fprintf(w, "\t%s:%d:%d: %s\n", relPath(rp.Filename), rp.Line, rp.Column, r.Message)
		}
	}
}

// printContext prints lines from..to of filename with n lines around, as
// go vet -c=n does.
func printContext(w io.Writer, filename string, from, to, n int) {
	if n < 0 {
		return
	}
	data, err := os.ReadFile(filename)
	if err != nil {
		return // the position is still printed
	}
	lines := strings.Split(string(data), "\n")
	for i := from - n; i <= max(to, from)+n; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// The JSON shapes of go vet -json (x/tools' driverutil.JSONTree): a map from
// package ID to analyzer name to a list of diagnostics or an error.
type (
	jsonTree       map[string]map[string]any
	jsonDiagnostic struct {
		Category       string        `json:"category,omitempty"`
		Posn           string        `json:"posn"`
		End            string        `json:"end"`
		Message        string        `json:"message"`
		SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated `json:"related,omitempty"`
	}
	jsonFix struct {
		Message string     `json:"message"`
		Edits   []jsonEdit `json:"edits"`
	}
	jsonEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// printJSON prints findings and analysis errors in go vet -json's shape.
func printJSON(w io.Writer, findings []*finding, errs []analysisError) error {
	tree := make(jsonTree)
	entry := func(pkgID string) map[string]any {
		if tree[pkgID] == nil {
			tree[pkgID] = make(map[string]any)
		}
		return tree[pkgID]
	}
	for _, e := range errs {
		entry(e.pkgID)[e.analyzer] = jsonError{e.err}
	}
	for _, f := range findings {
		m := entry(f.pkgID)
		list, _ := m[f.analyzer.Name].([]jsonDiagnostic)
		m[f.analyzer.Name] = append(list, toJSON(f))
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

func toJSON(f *finding) jsonDiagnostic {
	d := jsonDiagnostic{
		Category: f.diag.Category,
		Posn:     f.posn.String(),
		End:      f.end.String(),
		Message:  f.diag.Message,
	}
	for _, fix := range f.diag.SuggestedFixes {
		jf := jsonFix{Message: fix.Message}
		for _, e := range fix.TextEdits {
			start, end := f.fset.Position(e.Pos), f.fset.Position(cmp.Or(e.End, e.Pos))
			jf.Edits = append(jf.Edits, jsonEdit{Filename: start.Filename, Start: start.Offset, End: end.Offset, New: string(e.NewText)})
		}
		d.SuggestedFixes = append(d.SuggestedFixes, jf)
	}
	for _, r := range f.diag.Related {
		d.Related = append(d.Related, jsonRelated{
			Posn:    f.fset.Position(r.Pos).String(),
			End:     f.fset.Position(cmp.Or(r.End, r.Pos)).String(),
			Message: r.Message,
		})
	}
	return d
}

// An analysisError is an analyzer's failure on one package.
type analysisError struct {
	pkgID, analyzer, err string
}
