package fix

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Source gives fixes the text of a pass's files. Each file is read once,
// through Pass.ReadFile, and only if its size is the one the syntax was
// parsed from: a file changed since, or one the driver cannot read, gives
// no text, and then no fix. Lines are physical lines of the file: a //line
// directive renames positions for messages, not the bytes a fix edits.
type Source struct {
	pass  *analysis.Pass
	files map[*token.File][]byte // nil content: unavailable
}

// NewSource returns the Source of pass's files.
func NewSource(pass *analysis.Pass) *Source {
	return &Source{pass: pass, files: make(map[*token.File][]byte)}
}

// File returns the token.File holding pos and its content, or ok false
// when there is none to read.
func (s *Source) File(pos token.Pos) (tf *token.File, content []byte, ok bool) {
	tf = s.pass.Fset.File(pos)
	if tf == nil {
		return nil, nil, false // not a position of this pass
	}
	content, seen := s.files[tf]
	if !seen {
		if s.pass.ReadFile != nil {
			if b, err := s.pass.ReadFile(tf.Name()); err == nil && len(b) == tf.Size() {
				content = b
			}
		}
		s.files[tf] = content
	}
	return tf, content, content != nil
}

// Text returns the source text from pos to end, which must be in one file.
func (s *Source) Text(pos, end token.Pos) (string, bool) {
	tf, content, ok := s.File(pos)
	if !ok || s.pass.Fset.File(end) != tf || end < pos {
		return "", false
	}
	return string(content[tf.Offset(pos):tf.Offset(end)]), true
}

// LineStart returns the start of the physical line holding pos.
func (s *Source) LineStart(pos token.Pos) token.Pos {
	tf := s.pass.Fset.File(pos)
	return tf.LineStart(tf.PositionFor(pos, false).Line)
}

// NextLine returns the start of the physical line after pos's, or false
// if pos is on the last line.
func (s *Source) NextLine(pos token.Pos) (token.Pos, bool) {
	tf := s.pass.Fset.File(pos)
	line := tf.PositionFor(pos, false).Line
	if line >= tf.LineCount() {
		return token.NoPos, false
	}
	return tf.LineStart(line + 1), true
}

// SameLine reports whether a and b are on one physical line.
func (s *Source) SameLine(a, b token.Pos) bool {
	fset := s.pass.Fset
	return fset.File(a) == fset.File(b) && fset.PositionFor(a, false).Line == fset.PositionFor(b, false).Line
}

// Indent returns the blanks that begin pos's line, and whether nothing
// else comes before pos on it (pos starts its line).
func (s *Source) Indent(pos token.Pos) (indent string, alone, ok bool) {
	before, ok := s.Text(s.LineStart(pos), pos)
	if !ok {
		return "", false, false
	}
	indent = before[:len(before)-len(strings.TrimLeft(before, " \t"))]
	return indent, len(indent) == len(before), true
}

// LineEnd returns where a statement can be inserted after end: the end of
// end's line, past a trailing // comment. It reports false when code or a
// block comment follows end on that line.
func (s *Source) LineEnd(end token.Pos) (token.Pos, bool) {
	tf, content, ok := s.File(end)
	if !ok {
		return token.NoPos, false
	}
	rest := string(content[tf.Offset(end):])
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	if trimmed := strings.TrimSpace(rest); trimmed != "" && !strings.HasPrefix(trimmed, "//") {
		return token.NoPos, false // another statement or a block comment follows on the line
	}
	return end + token.Pos(len(strings.TrimRight(rest, " \t\r"))), true
}
