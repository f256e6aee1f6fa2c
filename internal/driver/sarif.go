package driver

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

// SARIF 2.1.0, the subset code-scanning services read.
type (
	sarifLog struct {
		Version string     `json:"version"`
		Schema  string     `json:"$schema"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		Invocations        []sarifInvocation           `json:"invocations"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		ColumnKind         string                      `json:"columnKind"`
		Results            []sarifResult               `json:"results"` // never omitted: "no findings" is a result
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		Version         string      `json:"version"`
		SemanticVersion string      `json:"semanticVersion"`
		InformationURI  string      `json:"informationUri"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string        `json:"id"`
		ShortDescription     sarifText     `json:"shortDescription"`
		FullDescription      sarifText     `json:"fullDescription"`
		Help                 sarifText     `json:"help"`
		HelpURI              string        `json:"helpUri"`
		DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
	}
	sarifRuleConf struct {
		Enabled bool   `json:"enabled"`
		Level   string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Fixes               []sarifFix        `json:"fixes,omitempty"`
	}
	sarifLocation struct {
		ID               int                   `json:"id,omitempty"`
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		Message          *sarifText            `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           sarifRegion      `json:"region"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	sarifFix struct {
		Description     sarifText             `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion `json:"deletedRegion"`
		InsertedContent sarifText   `json:"insertedContent"`
	}
)

// The base URIs of the run's artifacts: the user's files are relative to
// %SRCROOT%, the deepest directory holding the working directory and all of
// them, so that `resilvet -sarif ../other/...` still gives relative URIs;
// files of the standard library and the module cache, which findings may
// point at through related positions, are relative to bases of their own.
// No artifact URI names a host path.
const (
	srcRoot    = "%SRCROOT%"
	gorootBase = "GOROOT"
	modBase    = "GOMODCACHE"
)

// printSARIF prints findings as one SARIF run, with one rule per
// analyzer/rule of the analyzers that ran, and one invocation whose
// notifications are the load and analysis errors.
func printSARIF(w io.Writer, analyzers []*analysis.Analyzer, out *outcome, findings []*finding) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	env, _ := readGoEnv() // without it, all files are the user's
	s := &sarifWriter{lines: make(map[string][]string), bases: map[string]string{gorootBase: env.goroot, modBase: env.gomodcache}}
	s.root = s.commonRoot(wd, out, findings)
	vers, semver := version(), ""
	if vers == "" {
		vers, semver = "(devel)", "0.0.0-devel"
	} else {
		semver = strings.TrimPrefix(vers, "v")
	}
	inv := sarifInvocation{ExecutionSuccessful: len(out.loadErrs)+len(out.analysErrs) == 0}
	for _, e := range out.loadErrs {
		n := sarifNotification{Level: "error", Message: sarifText{e.msg}}
		if e.file != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: s.artifact(e.file),
				Region:           sarifRegion{StartLine: max(e.line, 1), StartColumn: e.col},
			}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	for _, e := range out.analysErrs {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:   "error",
			Message: sarifText{fmt.Sprintf("%s failed on %s: %s", e.analyzer, e.pkgID, e.err)},
		})
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:            "resilvet",
			Version:         vers,
			SemanticVersion: semver,
			InformationURI:  "https://pkg.go.dev/" + lint.ModulePath,
			Rules:           []sarifRule{},
		}},
		Invocations:        []sarifInvocation{inv},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{srcRoot: {URI: fileURI(s.root) + "/"}},
		ColumnKind:         "unicodeCodePoints",
		Results:            []sarifResult{},
	}
	ruleIndex := make(map[string]int)
	for _, a := range analyzers {
		doc, cfg := lint.DocOf(a), lint.ConfigOf(a)
		for _, rd := range doc.Rules {
			ruleIndex[a.Name+"/"+rd.Name] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
				ID:                   a.Name + "/" + rd.Name,
				ShortDescription:     sarifText{rd.Summary},
				FullDescription:      sarifText{rd.Summary},
				Help:                 sarifText{rd.Text},
				HelpURI:              rd.URL,
				DefaultConfiguration: sarifRuleConf{Enabled: cfg.Rules[rd.Name], Level: "warning"},
			})
		}
	}
	for _, f := range findings {
		r := sarifResult{
			RuleID:              f.category(),
			RuleIndex:           ruleIndex[f.category()],
			Level:               "warning",
			Message:             sarifText{f.diag.Message},
			Locations:           []sarifLocation{{PhysicalLocation: s.location(f.fset, f.diag.Pos, f.diag.End)}},
			PartialFingerprints: map[string]string{"resilvet/v1": fingerprint(f, relToDir(wd, f.posn.Filename))},
		}
		for i, rel := range f.diag.Related {
			r.RelatedLocations = append(r.RelatedLocations, sarifLocation{
				ID:               i + 1,
				PhysicalLocation: s.location(f.fset, rel.Pos, rel.End),
				Message:          &sarifText{rel.Message},
			})
		}
		for _, fix := range f.diag.SuggestedFixes {
			r.Fixes = append(r.Fixes, s.fix(f.fset, fix))
		}
		run.Results = append(run.Results, r)
	}
	for id, dir := range s.bases {
		if s.used[id] {
			run.OriginalURIBaseIDs[id] = sarifArtifactLoc{URI: fileURI(dir) + "/"}
		}
	}
	data, err := json.MarshalIndent(sarifLog{
		Version: "2.1.0",
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Runs:    []sarifRun{run},
	}, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

type sarifWriter struct {
	root  string
	bases map[string]string   // base ID → directory, besides srcRoot
	used  map[string]bool     // the base IDs an artifact refers to
	lines map[string][]string // file → its lines, for code-point columns
}

// base returns the base ID and directory of a file of the standard library
// or the module cache.
func (s *sarifWriter) base(filename string) (id, dir string, ok bool) {
	for id, dir := range s.bases {
		if dir != "" && within(dir, filename) {
			return id, dir, true
		}
	}
	return "", "", false
}

// commonRoot returns the deepest directory holding wd and every user file
// the output names.
func (s *sarifWriter) commonRoot(wd string, out *outcome, findings []*finding) string {
	root := wd
	add := func(filename string) {
		if filename == "" || !filepath.IsAbs(filename) {
			return
		}
		if _, _, ok := s.base(filename); ok {
			return
		}
		for !within(root, filename) {
			parent := filepath.Dir(root)
			if parent == root {
				return
			}
			root = parent
		}
	}
	for _, f := range findings {
		add(f.posn.Filename)
		for _, r := range f.diag.Related {
			add(f.fset.Position(r.Pos).Filename)
		}
		for _, fix := range f.diag.SuggestedFixes {
			for _, e := range fix.TextEdits {
				add(f.fset.Position(e.Pos).Filename)
			}
		}
	}
	for _, e := range out.loadErrs {
		add(e.file)
	}
	return root
}

// within reports whether filename is dir or below it.
func within(dir, filename string) bool {
	rel, err := filepath.Rel(dir, filename)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (s *sarifWriter) artifact(filename string) sarifArtifactLoc {
	base, dir := srcRoot, s.root
	if id, d, ok := s.base(filename); ok {
		base, dir = id, d
		if s.used == nil {
			s.used = make(map[string]bool)
		}
		s.used[id] = true
	}
	if rel, err := filepath.Rel(dir, filename); err == nil && within(dir, filename) {
		return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: base}
	}
	// A relative name the go command gave without a directory: relative
	// to the working directory, which is within the root.
	return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(filename)}).String(), URIBaseID: srcRoot}
}

func (s *sarifWriter) location(fset *token.FileSet, pos, end token.Pos) sarifPhysicalLocation {
	start := fset.Position(pos)
	if !end.IsValid() {
		end = pos
	}
	return sarifPhysicalLocation{
		ArtifactLocation: s.artifact(start.Filename),
		Region:           s.region(start, fset.Position(end)),
	}
}

// region converts byte columns to the code-point columns SARIF expects.
func (s *sarifWriter) region(start, end token.Position) sarifRegion {
	return sarifRegion{
		StartLine:   start.Line,
		StartColumn: s.column(start),
		EndLine:     end.Line,
		EndColumn:   s.column(end),
	}
}

func (s *sarifWriter) column(p token.Position) int {
	lines, ok := s.lines[p.Filename]
	if !ok {
		data, _ := os.ReadFile(p.Filename) // on error: byte columns, still close
		lines = strings.Split(string(data), "\n")
		s.lines[p.Filename] = lines
	}
	if p.Line < 1 || p.Line > len(lines) || p.Column-1 > len(lines[p.Line-1]) {
		return p.Column
	}
	return utf8.RuneCountInString(lines[p.Line-1][:p.Column-1]) + 1
}

func (s *sarifWriter) fix(fset *token.FileSet, fix analysis.SuggestedFix) sarifFix {
	sf := sarifFix{Description: sarifText{fix.Message}}
	byFile := make(map[string]int) // file → index in ArtifactChanges
	for _, e := range fix.TextEdits {
		start := fset.Position(e.Pos)
		end := start
		if e.End.IsValid() {
			end = fset.Position(e.End)
		}
		i, ok := byFile[start.Filename]
		if !ok {
			i = len(sf.ArtifactChanges)
			byFile[start.Filename] = i
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: s.artifact(start.Filename)})
		}
		sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, sarifReplacement{
			DeletedRegion:   s.region(start, end),
			InsertedContent: sarifText{string(e.NewText)},
		})
	}
	return sf
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
