package lint

import (
	"go/ast"
	"go/token"
	"strings"
)

// DirectivePrefix starts a suppression directive:
//
//	//resilvet:ignore fireforget,unshielded/detached-wait the reason
//
// on the line of a diagnostic or on the line above. Each name is an analyzer
// or an analyzer/rule; the reason is required.
const DirectivePrefix = "//resilvet:ignore"

// A Directive is one //resilvet:ignore comment.
type Directive struct {
	Pos    token.Pos // of the comment
	End    token.Pos
	Names  []string // "analyzer" or "analyzer/rule"
	Reason string
	// Problem is why the directive is malformed, or "". A malformed
	// directive suppresses nothing.
	Problem string
}

// Matches reports whether d names the analyzer or its rule.
func (d *Directive) Matches(analyzer, rule string) bool {
	for _, n := range d.Names {
		if n == analyzer || n == analyzer+"/"+rule {
			return true
		}
	}
	return false
}

// Directives returns the suppression directives of file, malformed ones
// included, in source order. Only syntax is checked here; names are checked
// against the known analyzers by the ignore analyzer.
func Directives(file *ast.File) []Directive {
	var ds []Directive
	for _, group := range file.Comments {
		for _, c := range group.List {
			if d, ok := parseDirective(c); ok {
				ds = append(ds, d)
			}
		}
	}
	return ds
}

func parseDirective(c *ast.Comment) (Directive, bool) {
	d := Directive{Pos: c.Slash, End: c.End()}
	text, ok := strings.CutPrefix(c.Text, DirectivePrefix)
	if !ok {
		// "// resilvet:ignore" does nothing, as "// go:generate" does
		// nothing; say so rather than let the user believe it works.
		if rest, ok := strings.CutPrefix(c.Text, "//"); ok && strings.HasPrefix(strings.TrimSpace(rest), "resilvet:ignore") {
			d.Problem = "a directive is written " + DirectivePrefix + " with no space after //"
			return d, true
		}
		return d, false
	}
	if text != "" && text[0] != ' ' && text[0] != '\t' {
		return d, false // e.g. //resilvet:ignored: not ours
	}
	fields := strings.Fields(text)
	if len(fields) == 0 {
		d.Problem = "directive names no analyzer: write " + DirectivePrefix + " <analyzer>[,<analyzer>] <reason>"
		return d, true
	}
	for n := range strings.SplitSeq(fields[0], ",") {
		if n != "" {
			d.Names = append(d.Names, n)
		}
	}
	d.Reason = strings.Join(fields[1:], " ")
	if len(d.Names) == 0 {
		d.Problem = "directive names no analyzer: write " + DirectivePrefix + " <analyzer>[,<analyzer>] <reason>"
		return d, true
	}
	if d.Reason == "" {
		d.Problem = "directive gives no reason: say why the finding is acceptable after the analyzer names"
	}
	return d, true
}

// directiveIndex finds the directives that apply to a line of a file.
type directiveIndex struct {
	byLine map[int][]*Directive // line of the directive → directives
}

func newDirectiveIndex(fset *token.FileSet, file *ast.File) *directiveIndex {
	idx := &directiveIndex{byLine: make(map[int][]*Directive)}
	for _, d := range Directives(file) {
		if d.Problem != "" {
			continue // malformed: reported by the ignore analyzer, suppresses nothing
		}
		line := fset.Position(d.Pos).Line
		idx.byLine[line] = append(idx.byLine[line], &d)
	}
	return idx
}

// find returns the first directive on line or the line above that matches.
func (idx *directiveIndex) find(line int, analyzer, rule string) *Directive {
	for _, l := range [...]int{line, line - 1} {
		for _, d := range idx.byLine[l] {
			if d.Matches(analyzer, rule) {
				return d
			}
		}
	}
	return nil
}
