package driver

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// A baseline records accepted findings so that CI reports only new ones.
// Entries are keyed by fingerprint: analyzer/rule, the file's path relative
// to the baseline, the enclosing function and the message with numbers
// blanked. None of these move when unrelated edits shift lines.
type baseline struct {
	Version  int             `json:"resilvet_baseline"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Function    string `json:"function,omitempty"`
	Message     string `json:"message"`
	Count       int    `json:"count"` // identical findings in one function
}

const baselineVersion = 1

var digits = regexp.MustCompile(`[0-9]+`)

// fingerprint identifies f independently of its line; rel is its file's path
// relative to the directory the fingerprint is meant for.
func fingerprint(f *finding, rel string) string {
	msg := strings.Join(strings.Fields(digits.ReplaceAllString(f.diag.Message, "N")), " ")
	h := sha256.Sum256([]byte(strings.Join([]string{f.category(), filepath.ToSlash(rel), f.function, msg}, "\x00")))
	return hex.EncodeToString(h[:16])
}

// relToDir returns filename relative to dir, or filename if that fails.
func relToDir(dir, filename string) string {
	if rel, err := filepath.Rel(dir, filename); err == nil {
		return rel
	}
	return filename
}

func baselineDir(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "."
	}
	return filepath.Dir(abs)
}

// writeBaseline writes findings to path.
func writeBaseline(path string, findings []*finding) error {
	dir := baselineDir(path)
	byFP := make(map[string]*baselineEntry)
	var entries []*baselineEntry
	for _, f := range findings {
		rel := relToDir(dir, f.posn.Filename)
		fp := fingerprint(f, rel)
		if e := byFP[fp]; e != nil {
			e.Count++
			continue
		}
		e := &baselineEntry{Fingerprint: fp, Rule: f.category(), File: filepath.ToSlash(rel), Function: f.function, Message: f.diag.Message, Count: 1}
		byFP[fp] = e
		entries = append(entries, e)
	}
	b := baseline{Version: baselineVersion, Findings: []baselineEntry{}}
	slices.SortFunc(entries, func(a, b *baselineEntry) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Function, b.Function), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	for _, e := range entries {
		b.Findings = append(b.Findings, *e)
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append(data, '\n'))
}

// applyBaseline returns the findings not recorded in the baseline at path.
// Of n identical findings in one function, the baseline accepts as many as
// it counts, the first ones in source order.
func applyBaseline(path string, findings []*finding) ([]*finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var b baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s: not a resilvet baseline: %w", path, err)
	}
	if b.Version != baselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d, want %d (write it again with -write-baseline)", path, b.Version, baselineVersion)
	}
	left := make(map[string]int)
	for _, e := range b.Findings {
		left[e.Fingerprint] += max(e.Count, 1)
	}
	dir := baselineDir(path)
	var out []*finding
	for _, f := range findings {
		fp := fingerprint(f, relToDir(dir, f.posn.Filename))
		if left[fp] > 0 {
			left[fp]--
			continue // accepted in the baseline
		}
		out = append(out, f)
	}
	return out, nil
}
