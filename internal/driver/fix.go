package driver

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"slices"
	"strings"

	"github.com/resilvet/resilvet/internal/match"
)

// An edit replaces bytes [start, end) of a file with text.
type edit struct {
	start, end int
	text       string
}

// A candidate is the first suggested fix of a finding, resolved to byte
// offsets in the files as they were analysed.
type candidate struct {
	f     *finding
	edits map[string][]edit // file → edits
	// decls are the top-level declarations (other than imports) that the
	// edits touch: fixes of different analyzers in one declaration wait
	// for separate rounds (see selectFixes).
	decls []declKey
	// runtime are the runtime packages whose import the fix adds: it
	// needs the runtime module required.
	runtime []string
}

// A declKey names a top-level declaration by its file and start offset.
type declKey struct {
	file  string
	start int
}

// key identifies c across rounds, where offsets move: a fix rolled back
// once is not tried again.
func (c *candidate) key() string {
	var b strings.Builder
	fix := c.f.diag.SuggestedFixes[0]
	fmt.Fprintf(&b, "%s\x00%s\x00%s\x00%s\x00%s", c.f.category(), c.f.posn.Filename, c.f.function, c.f.diag.Message, fix.Message)
	for _, file := range sortedKeys(c.edits) {
		for _, e := range c.edits[file] {
			fmt.Fprintf(&b, "\x00%s\x00%s", file, e.text)
		}
	}
	return b.String()
}

// files returns the files c edits, sorted.
func (c *candidate) files() []string { return sortedKeys(c.edits) }

// A skip is why a fix is not applied although its finding has one.
type skip int

const (
	skipGenerated skip = iota // edits a generated or cgo-processed file
	skipForeign               // edits a file outside the user's module: GOROOT, the module cache
	skipReadOnly              // edits a file the user may not write
	numSkips
)

var skipReasons = [numSkips]string{
	skipGenerated: "they edit generated or cgo-processed files",
	skipForeign:   "they edit files outside your module (GOROOT or the module cache)",
	skipReadOnly:  "they edit read-only files",
}

// A fileSource answers what candidates needs to know about files.
type fileSource interface {
	read(name string) ([]byte, error)
	generated(name string) bool
	// foreign reports whether name belongs to no module of the user's:
	// the standard library or the module cache.
	foreign(f *finding, name string) bool
	writable(name string) bool
}

// candidates returns the fixes of findings that may be applied, in finding
// order, and counts those that may not (by reason, and the read-only files
// by name).
func candidates(findings []*finding, src fileSource) ([]*candidate, [numSkips]int, []string, error) {
	var skips [numSkips]int
	var readOnly []string
	var out []*candidate
	sizes := make(map[string]bool) // files whose size was checked
next:
	for _, f := range findings {
		if len(f.diag.SuggestedFixes) == 0 {
			continue // nothing to apply
		}
		fix := f.diag.SuggestedFixes[0]
		c := &candidate{f: f, edits: make(map[string][]edit)}
		seenDecl := make(map[declKey]bool)
		for _, e := range fix.TextEdits {
			tf := f.fset.File(e.Pos)
			name := tf.Name()
			switch {
			case src.generated(name) || f.fset.PositionFor(e.Pos, true).Filename != name:
				// Generated, or seen through //line directives (cgo): the
				// bytes we would edit are not the user's source.
				skips[skipGenerated]++
				continue next
			case src.foreign(f, name):
				skips[skipForeign]++
				continue next
			case !src.writable(name):
				skips[skipReadOnly]++
				if !slices.Contains(readOnly, name) {
					readOnly = append(readOnly, name)
				}
				continue next
			}
			if !sizes[name] {
				content, err := src.read(name)
				if err != nil {
					return nil, skips, nil, err
				}
				if len(content) != tf.Size() {
					return nil, skips, nil, fmt.Errorf("%s changed while resilvet was running (size %d, was %d); nothing written", relPath(name), len(content), tf.Size())
				}
				sizes[name] = true
			}
			end := e.End
			if !end.IsValid() {
				end = e.Pos
			}
			c.edits[name] = append(c.edits[name], edit{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)})
			if d, ok := enclosingDecl(f, tf, e.Pos); ok && !seenDecl[d] {
				seenDecl[d] = true
				c.decls = append(c.decls, d)
			}
			for _, m := range runtimeImportRE.FindAllStringSubmatch(string(e.NewText), -1) {
				if !slices.Contains(c.runtime, m[1]) {
					c.runtime = append(c.runtime, m[1])
				}
			}
		}
		out = append(out, c)
	}
	slices.Sort(readOnly)
	return out, skips, readOnly, nil
}

// runtimeImportRE matches an import spec of a runtime package in a fix's
// new text, as fix.AddImport writes it.
var runtimeImportRE = regexp.MustCompile(`"(` + regexp.QuoteMeta(match.RuntimePath) + `/[^"]+)"`)

// enclosingDecl returns the top-level declaration of f's package that holds
// pos in the file tf, unless it is an import declaration (every fix that
// adds an import edits those; the edits' own overlaps decide there).
func enclosingDecl(f *finding, tf *token.File, pos token.Pos) (declKey, bool) {
	if f.pkg == nil {
		return declKey{}, false
	}
	for _, file := range f.pkg.Syntax {
		if f.fset.File(file.FileStart) != tf {
			continue // another file
		}
		for _, decl := range file.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				continue // see above
			}
			if start := declStart(decl); start <= pos && pos <= decl.End() {
				return declKey{tf.Name(), tf.Offset(start)}, true
			}
		}
	}
	return declKey{}, false
}

// declStart is where decl begins, its doc comment included.
func declStart(decl ast.Decl) token.Pos {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			return d.Doc.Pos()
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			return d.Doc.Pos()
		}
	}
	return decl.Pos()
}

// selectFixes chooses the candidates of one round, with go vet -fix's
// semantics plus one rule: identical edits coalesce; a fix that overlaps
// one already taken waits, whole, for the next round; and within one
// top-level declaration only the fixes of one analyzer are taken. Two
// analyzers' fixes each choose names that are fresh in the code they
// analysed, not in the code after the other's edit: combined, the second
// can silently reuse the first's variable (`v := next()` twice in one
// block, or worse `ok, v := …` after it). After re-analysis, the second
// analyzer sees the first's names. A fix whose key is in dropped was rolled
// back before and is not tried again.
func selectFixes(cands []*candidate, dropped map[string]bool) []*candidate {
	accepted := make(map[string][]edit) // file → edits taken
	owner := make(map[declKey]string)   // declaration → the analyzer whose fixes it takes
	var chosen []*candidate
next:
	for _, c := range cands {
		if dropped[c.key()] {
			continue // it broke the build once
		}
		for _, d := range c.decls {
			if a, ok := owner[d]; ok && a != c.f.analyzer.Name {
				continue next // another analyzer's fix edits this declaration this round
			}
		}
		merged := make(map[string][]edit, len(c.edits))
		for name, edits := range c.edits {
			m, ok := merge(accepted[name], edits)
			if !ok {
				continue next // conflicts: left for the next round
			}
			merged[name] = m
		}
		for name, m := range merged {
			accepted[name] = m
		}
		for _, d := range c.decls {
			owner[d] = c.f.analyzer.Name
		}
		chosen = append(chosen, c)
	}
	return chosen
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

// A fixedFile is the new content of one file.
type fixedFile struct {
	content []byte
	fixes   []*candidate // the fixes that edit it
	// owners returns the fixes that wrote line (1-based) of content, or
	// nil for a line none wrote.
	owners func(line int) []*candidate
}

// applyFixes applies chosen to the files' current content (read) and
// finishes each file (see finish). A file whose result does not parse is
// returned in broken with the parse error, its owners those of the edited
// text: the fixes that edit it are at fault, not the file.
func applyFixes(chosen []*candidate, read func(string) ([]byte, error)) (map[string]*fixedFile, map[string]*brokenFile, error) {
	edits := make(map[string][]edit)
	byEdit := make(map[string]map[edit][]*candidate) // file → edit → the fixes that make it
	for _, c := range chosen {
		for name, es := range c.edits {
			m, ok := merge(edits[name], es)
			if !ok {
				panic("driver: applyFixes given conflicting fixes") // selectFixes merged them already
			}
			edits[name] = m
			if byEdit[name] == nil {
				byEdit[name] = make(map[edit][]*candidate)
			}
			for _, e := range es {
				byEdit[name][e] = append(byEdit[name][e], c)
			}
		}
	}
	out := make(map[string]*fixedFile)
	broken := make(map[string]*brokenFile)
	for _, name := range sortedKeys(edits) {
		before, err := read(name)
		if err != nil {
			return nil, nil, err
		}
		after, lines := apply(before, edits[name])
		touched := make(map[int]bool)
		wrote := make(map[int][]*candidate) // line of after → fixes
		var fixes []*candidate
		for i, e := range edits[name] {
			for l := lines[i].first; l <= lines[i].last; l++ {
				touched[l] = true
				wrote[l] = append(wrote[l], byEdit[name][e]...)
			}
			for _, c := range byEdit[name][e] {
				if !slices.Contains(fixes, c) {
					fixes = append(fixes, c)
				}
			}
		}
		final, err := finish(name, before, after, touched)
		if err != nil {
			broken[name] = &brokenFile{err: err, fixes: fixes, owners: func(line int) []*candidate { return wrote[line-1] }}
			continue
		}
		if !bytes.Equal(before, final) {
			out[name] = &fixedFile{content: final, fixes: fixes, owners: ownersThrough(after, final, wrote)}
		}
	}
	return out, broken, nil
}

// A brokenFile is a file whose fixed content does not parse.
type brokenFile struct {
	err    error
	fixes  []*candidate
	owners func(line int) []*candidate // by line of the unparsable text
}

// ownersThrough maps lines of final (after, finished) to the fixes that
// wrote the lines of after they come from.
func ownersThrough(after, final []byte, wrote map[int][]*candidate) func(int) []*candidate {
	ops := diffLines(splitLines(string(after)), splitLines(string(final)))
	return func(line int) []*candidate {
		for i, op := range ops {
			if op.kind == '-' || op.bi != line-1 {
				continue // not final's line
			}
			if op.kind == ' ' {
				return wrote[op.ai]
			}
			// A line finishing wrote: the fixes of the lines it replaces,
			// or next to which it was inserted.
			var out []*candidate
			for j := i; j >= 0 && ops[j].kind != ' '; j-- {
				out = append(out, wrote[ops[j].ai]...)
			}
			for j := i; j < len(ops) && ops[j].kind != ' '; j++ {
				out = append(out, wrote[ops[j].ai]...)
			}
			return append(out, wrote[op.ai]...)
		}
		return nil
	}
}

// The lines an edit wrote in the result of apply: first to last, 0-based.
type editLines struct{ first, last int }

// apply applies non-overlapping edits to src. It also returns, for each
// edit in the order given, the lines of the result that it wrote (or, for
// a deletion, joined).
func apply(src []byte, edits []edit) ([]byte, []editLines) {
	order := make([]int, len(edits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(edits[a].start, edits[b].start), cmp.Compare(edits[a].end, edits[b].end))
	})
	var buf bytes.Buffer
	lines := make([]editLines, len(edits))
	line := 0 // the line of buf's end
	last := 0
	for _, i := range order {
		e := edits[i]
		line += bytes.Count(src[last:e.start], []byte("\n"))
		buf.Write(src[last:e.start])
		first := line
		line += strings.Count(e.text, "\n")
		lines[i] = editLines{first, line}
		buf.WriteString(e.text)
		last = e.end
	}
	buf.Write(src[last:])
	return buf.Bytes(), lines
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
