package fix

import (
	"bytes"
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Insert returns the edit that inserts text at pos.
func Insert(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}

// Replace returns the edit that replaces n with text.
func Replace(n ast.Node, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: n.Pos(), End: n.End(), NewText: []byte(text)}
}

// Dedup drops repeated identical edits, keeping the first of each: two
// AddImport or ZeroValue calls of one fix may both add the same import. The
// import declarations that AddImport calls insert at one place (in a file
// with no parenthesised import block) become one block, sorted as gofmt
// sorts it, standard library first.
func Dedup(edits []analysis.TextEdit) []analysis.TextEdit {
	var out []analysis.TextEdit
	for _, e := range edits {
		if !slices.ContainsFunc(out, func(o analysis.TextEdit) bool {
			return o.Pos == e.Pos && o.End == e.End && bytes.Equal(o.NewText, e.NewText)
		}) {
			out = append(out, e)
		}
	}
	return groupImports(out)
}

// groupImports merges the import edits that insertImport returns for one
// place into one: declarations inserted at one position (in a file with no
// import block) become one parenthesised declaration, and the rewrites of
// one unparenthesised declaration into a parenthesised one (parenthesise)
// become one rewrite holding every spec.
func groupImports(edits []analysis.TextEdit) []analysis.TextEdit {
	// An import edit is prefix + "(\n" + block + ")" + suffix once
	// grouped; it holds specs.
	type importEdit struct {
		pos, end       token.Pos
		prefix, suffix string
	}
	parse := func(e analysis.TextEdit) (importEdit, []string, bool) {
		text := string(e.NewText)
		if e.Pos != e.End {
			// parenthesise's rewrite: "(\n\tspec\n…)".
			inner, ok := strings.CutPrefix(text, "(\n")
			if inner, ok2 := strings.CutSuffix(inner, "\n)"); ok && ok2 {
				var specs []string
				for line := range strings.SplitSeq(inner, "\n") {
					if line = strings.TrimSpace(line); line != "" {
						specs = append(specs, line)
					}
				}
				return importEdit{pos: e.Pos, end: e.End}, specs, true
			}
			return importEdit{}, nil, false // another replacement
		}
		i := strings.Index(text, "import ")
		if i < 0 || strings.TrimSpace(text[:i]) != "" {
			return importEdit{}, nil, false
		}
		rest := text[i+len("import "):]
		spec := strings.TrimRight(rest, "\n")
		if spec == "" || strings.ContainsAny(spec, "\n()") {
			return importEdit{}, nil, false // not a single spec
		}
		return importEdit{e.Pos, e.End, text[:i] + "import ", rest[len(spec):]}, []string{spec}, true
	}
	var out []analysis.TextEdit
	done := make(map[int]bool)
	for i, e := range edits {
		if done[i] {
			continue
		}
		key, specs, ok := parse(e)
		if !ok {
			out = append(out, e)
			continue
		}
		merged := false
		for j := i + 1; j < len(edits); j++ {
			if key2, specs2, ok := parse(edits[j]); ok && key2 == key {
				for _, s := range specs2 {
					if !slices.Contains(specs, s) {
						specs = append(specs, s)
					}
				}
				done[j], merged = true, true
			}
		}
		if !merged {
			out = append(out, e)
			continue
		}
		out = append(out, analysis.TextEdit{Pos: key.pos, End: key.end,
			NewText: []byte(key.prefix + "(\n" + importBlock(specs) + ")" + key.suffix)})
	}
	return out
}

// importBlock returns the lines of an import block holding specs (each
// `"path"` or `name "path"`, with an optional line comment): the standard
// library's first, then the others, each group sorted by path.
func importBlock(specs []string) string {
	path := func(spec string) string {
		p, err := strconv.QuotedPrefix(spec[strings.IndexByte(spec, '"'):])
		if err != nil {
			return spec // not a spec AddImport wrote
		}
		u, _ := strconv.Unquote(p) // cannot fail: a quoted prefix
		return u
	}
	specs = slices.Clone(specs)
	slices.SortStableFunc(specs, func(a, b string) int { return strings.Compare(path(a), path(b)) })
	var std, other []string
	for _, s := range specs {
		if isStd(path(s)) {
			std = append(std, "\t"+s+"\n")
		} else {
			other = append(other, "\t"+s+"\n")
		}
	}
	if len(std) > 0 && len(other) > 0 {
		return strings.Join(std, "") + "\n" + strings.Join(other, "")
	}
	return strings.Join(std, "") + strings.Join(other, "")
}

// Span is a diagnostic's range from Pos to End: the part of a node that a
// diagnostic highlights when the whole node would be too much.
type Span struct{ From, To token.Pos }

// Pos is where the span starts.
func (s Span) Pos() token.Pos { return s.From }

// End is where the span ends.
func (s Span) End() token.Pos { return s.To }
