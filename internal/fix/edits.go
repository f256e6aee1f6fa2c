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

// groupImports merges the import declarations that insertImport adds at
// one position into a single parenthesised one.
func groupImports(edits []analysis.TextEdit) []analysis.TextEdit {
	type decl struct {
		lead, trail string // the text around "import spec"
		spec        string
	}
	parse := func(e analysis.TextEdit) (decl, bool) {
		if e.Pos != e.End {
			return decl{}, false // a replacement, not an insertion
		}
		text := string(e.NewText)
		i := strings.Index(text, "import ")
		if i < 0 || strings.TrimSpace(text[:i]) != "" {
			return decl{}, false
		}
		rest := text[i+len("import "):]
		spec := strings.TrimRight(rest, "\n")
		if spec == "" || strings.ContainsAny(spec, "\n()") {
			return decl{}, false // not a single spec
		}
		return decl{lead: text[:i], trail: rest[len(spec):], spec: spec}, true
	}
	var out []analysis.TextEdit
	done := make(map[int]bool)
	for i, e := range edits {
		if done[i] {
			continue
		}
		d, ok := parse(e)
		if !ok {
			out = append(out, e)
			continue
		}
		specs := []string{d.spec}
		for j := i + 1; j < len(edits); j++ {
			if d2, ok := parse(edits[j]); ok && edits[j].Pos == e.Pos && d2.lead == d.lead && d2.trail == d.trail {
				specs = append(specs, d2.spec)
				done[j] = true
			}
		}
		if len(specs) == 1 {
			out = append(out, e)
			continue
		}
		out = append(out, Insert(e.Pos, d.lead+"import (\n"+importBlock(specs)+")"+d.trail))
	}
	return out
}

// importBlock returns the lines of an import block holding specs: the
// standard library's first, then the others, each group sorted by path.
func importBlock(specs []string) string {
	path := func(spec string) string {
		p := spec[strings.IndexByte(spec, '"'):]
		if u, err := strconv.Unquote(p); err == nil {
			return u
		}
		return p
	}
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

func (s Span) Pos() token.Pos { return s.From }
func (s Span) End() token.Pos { return s.To }
