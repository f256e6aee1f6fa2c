package driver

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/resilvet/resilvet/internal/match"
)

// An edit replaces bytes [start, end) of a file with text.
type edit struct {
	start, end int
	text       string
}

// fixStats counts what one round of applyFixes did.
type fixStats struct {
	applied int // fixes applied
	skipped int // fixes skipped because they edit a generated or cgo-processed file
}

// fixedFile is the new content of one file.
type fixedFile struct {
	content        []byte
	runtimeImports []string // runtime packages the fixes newly import
}

// applyFixes applies the first suggested fix of each finding with go vet
// -fix's semantics: identical edits coalesce; a fix that overlaps one
// already taken is skipped, whole, and counted; fixes that touch a generated
// file are skipped; imports the fixes made redundant are removed and each
// file is gofmt-ed. read returns a file's current content; generated says
// whether a file is generated. Findings must be in a deterministic order.
func applyFixes(findings []*finding, read func(string) ([]byte, error), generated map[string]bool) (map[string]*fixedFile, fixStats, error) {
	var stats fixStats
	accepted := make(map[string][]edit) // file → edits taken, in order
	original := make(map[string][]byte)

fixes:
	for _, f := range findings {
		if len(f.diag.SuggestedFixes) == 0 {
			continue // nothing to apply
		}
		fix := f.diag.SuggestedFixes[0]
		byFile := make(map[string][]edit)
		for _, e := range fix.TextEdits {
			tf := f.fset.File(e.Pos)
			name := tf.Name()
			if generated[name] || f.fset.PositionFor(e.Pos, true).Filename != name {
				// Generated, or seen through //line directives (cgo): the
				// bytes we would edit are not the user's source.
				stats.skipped++
				continue fixes
			}
			if _, ok := original[name]; !ok {
				content, err := read(name)
				if err != nil {
					return nil, stats, err
				}
				if len(content) != tf.Size() {
					return nil, stats, fmt.Errorf("%s changed while resilvet was running (size %d, was %d); nothing written", name, len(content), tf.Size())
				}
				original[name] = content
			}
			end := e.End
			if !end.IsValid() {
				end = e.Pos
			}
			byFile[name] = append(byFile[name], edit{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)})
		}
		// Take the fix only if every edit merges with those already taken.
		merged := make(map[string][]edit, len(byFile))
		for name, edits := range byFile {
			m, ok := merge(accepted[name], edits)
			if !ok {
				continue fixes // conflicts: left for the next round
			}
			merged[name] = m
		}
		for name, m := range merged {
			accepted[name] = m
		}
		stats.applied++
	}

	out := make(map[string]*fixedFile)
	for name, edits := range accepted {
		before := original[name]
		after, err := finish(name, before, apply(before, edits))
		if err != nil {
			return nil, stats, err
		}
		if !bytes.Equal(before, after) {
			out[name] = &fixedFile{content: after, runtimeImports: newRuntimeImports(before, after)}
		}
	}
	return out, stats, nil
}

// merge adds edits to taken, coalescing identical edits, or reports false
// if one of them overlaps a different edit already taken.
func merge(taken, edits []edit) ([]edit, bool) {
	out := slices.Clone(taken)
next:
	for _, e := range edits {
		for _, t := range taken {
			switch {
			case e == t:
				continue next // identical: coalesce
			case e.start < t.end && t.start < e.end, // ranges overlap
				e.start == e.end && t.start < e.start && e.start < t.end,   // insertion inside t
				t.start == t.end && e.start < t.start && t.start < e.end,   // t inserted inside e
				e.start == e.end && t.start == t.end && e.start == t.start: // two insertions, order unknown
				return nil, false
			}
		}
		out = append(out, e)
	}
	return out, true
}

// apply applies non-overlapping edits to src.
func apply(src []byte, edits []edit) []byte {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b edit) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	var buf bytes.Buffer
	last := 0
	for _, e := range sorted {
		buf.Write(src[last:e.start])
		buf.WriteString(e.text)
		last = e.end
	}
	buf.Write(src[last:])
	return buf.Bytes()
}

// finish removes the imports that the edits made redundant and gofmts the
// result. A result that does not parse is a bug in a fix: it is an error
// rather than a file written broken.
func finish(name string, before, after []byte) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, after, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("internal error: the fixes for %s produce code that does not parse (please report it): %w", name, err)
	}
	usedBefore := usedImports(before)
	usedAfter := qualifiers(file)
	var unused []*ast.ImportSpec
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if usedBefore[path] && !usedAfter[importName(spec, path)] {
			unused = append(unused, spec)
		}
	}
	for _, spec := range unused {
		path, _ := strconv.Unquote(spec.Path.Value)
		astutil.DeleteNamedImport(fset, file, specName(spec), path)
	}
	ast.SortImports(fset, file) // as gofmt does
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, file); err != nil {
		return nil, fmt.Errorf("internal error: formatting %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// usedImports returns the paths of the imports that src uses by name.
func usedImports(src []byte) map[string]bool {
	file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	quals := qualifiers(file)
	used := make(map[string]bool)
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if quals[importName(spec, path)] {
			used[path] = true
		}
	}
	return used
}

// qualifiers returns the names used as X in a selector X.Sel: a package
// name can only be used that way, so an import whose name is not among them
// is unused.
func qualifiers(file *ast.File) map[string]bool {
	names := make(map[string]bool)
	for _, decl := range file.Decls {
		ast.Inspect(decl, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					names[id.Name] = true
				}
			}
			return true
		})
	}
	return names
}

// importName is the name an import declares; for an unnamed import, the
// last element of its path (the fixes only remove imports they made
// unused, so a package named unlike its path is at worst left in place).
func importName(spec *ast.ImportSpec, path string) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	name := path[strings.LastIndex(path, "/")+1:]
	if strings.HasPrefix(name, "v") && len(name) > 1 && strings.Trim(name[1:], "0123456789") == "" {
		// gopkg.in/yaml.v3-style and example.com/m/v2: the name is the
		// element before the major version.
		if rest := path[:strings.LastIndex(path, "/")]; rest != "" {
			name = rest[strings.LastIndex(rest, "/")+1:]
		}
	}
	return name
}

func specName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	return ""
}

// newRuntimeImports returns the runtime packages after imports that before
// did not.
func newRuntimeImports(before, after []byte) []string {
	had := importPaths(before)
	var added []string
	for path := range importPaths(after) {
		if strings.HasPrefix(path, match.RuntimePath+"/") && !had[path] {
			added = append(added, path)
		}
	}
	slices.Sort(added)
	return added
}

func importPaths(src []byte) map[string]bool {
	file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	paths := make(map[string]bool)
	for _, spec := range file.Imports {
		if path, err := strconv.Unquote(spec.Path.Value); err == nil {
			paths[path] = true
		}
	}
	return paths
}
