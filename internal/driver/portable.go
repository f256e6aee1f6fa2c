package driver

import (
	"cmp"
	"go/token"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
)

// A pkgResult is what analysing a root package reported, in a form that
// outlives its token.FileSet: positions are offsets into a table of files
// that holds just enough of each file's line table to give every position
// the same token.Position again. Findings made fresh go through it too, so
// a cached result prints exactly as a fresh one.
type pkgResult struct {
	Files      []pFile
	Diags      []pDiag      // by analyzer name, then in the order reported
	Directives []pDirective // the well-formed suppression directives of the non-generated files
	Uses       []lint.Used  // the directives of the package's files that some pass used
}

// A pFile is a file's name, size and line starts, cut after the last line
// that a recorded position lies on (Size: one past the last such offset).
// Infos is nil for a file none of whose positions a //line directive
// moves; otherwise they give, for every recorded offset, the position the
// directive makes of it.
type pFile struct {
	Name  string
	Size  int
	Lines []int
	Infos []pInfo
}

type pInfo struct {
	Offset       int
	Filename     string
	Line, Column int
}

// A pPos is a token.Pos: File indexes pkgResult.Files, 0 is NoPos.
type pPos struct{ File, Offset int }

type pDiag struct {
	Analyzer string
	Pos, End pPos
	Category string
	URL      string
	Message  string
	Related  []pRelated
	Fixes    []pFix
	Function string
}

type pRelated struct {
	Pos, End pPos
	Message  string
}

type pFix struct {
	Message string
	Edits   []pEdit
}

type pEdit struct {
	Pos, End pPos
	NewText  []byte
}

type pDirective struct {
	Pos, End pPos
	Names    []string
	Function string
}

// A posTable turns positions of one FileSet into pPos values.
type posTable struct {
	fset  *token.FileSet
	index map[*token.File]int // 1-based into files
	files []*token.File
	offs  [][]int // recorded offsets of each file
	moved []bool  // some recorded position of the file is moved by a //line directive
}

func newPosTable(fset *token.FileSet) *posTable {
	return &posTable{fset: fset, index: make(map[*token.File]int)}
}

func (t *posTable) pos(p token.Pos) pPos {
	if !p.IsValid() {
		return pPos{}
	}
	tf := t.fset.File(p)
	if tf == nil {
		return pPos{}
	}
	i, ok := t.index[tf]
	if !ok {
		t.files = append(t.files, tf)
		t.offs = append(t.offs, nil)
		t.moved = append(t.moved, false)
		i = len(t.files)
		t.index[tf] = i
	}
	off := tf.Offset(p)
	t.offs[i-1] = append(t.offs[i-1], off)
	if tf.PositionFor(p, true) != tf.PositionFor(p, false) {
		t.moved[i-1] = true
	}
	return pPos{File: i, Offset: off}
}

// table returns the files of the positions recorded.
func (t *posTable) table() []pFile {
	out := make([]pFile, len(t.files))
	for i, tf := range t.files {
		offs := slices.Clone(t.offs[i])
		slices.Sort(offs)
		offs = slices.Compact(offs)
		last := offs[len(offs)-1]
		lines := tf.Lines()
		n := sort.SearchInts(lines, last+1) // the line starts at or before last
		// Size is one past the last offset even when that is the end of the
		// file (offset tf.Size()): AddLineColumnInfo ignores information at
		// or beyond a file's size, and the end of a file that a //line
		// directive moves would then print unmoved.
		pf := pFile{Name: tf.Name(), Size: last + 1, Lines: lines[:n:n]}
		if t.moved[i] {
			for _, off := range offs {
				p := tf.PositionFor(tf.Pos(off), true)
				pf.Infos = append(pf.Infos, pInfo{off, p.Filename, p.Line, p.Column})
			}
		}
		out[i] = pf
	}
	return out
}

// portableDiag converts d, reported by analyzer a in a file whose enclosing
// declaration at d.Pos is function.
func portableDiag(t *posTable, a string, d analysis.Diagnostic, function string) pDiag {
	pd := pDiag{
		Analyzer: a,
		Pos:      t.pos(d.Pos),
		End:      t.pos(d.End),
		Category: d.Category,
		URL:      d.URL,
		Message:  d.Message,
		Function: function,
	}
	for _, r := range d.Related {
		pd.Related = append(pd.Related, pRelated{t.pos(r.Pos), t.pos(r.End), r.Message})
	}
	for _, f := range d.SuggestedFixes {
		pf := pFix{Message: f.Message}
		for _, e := range f.TextEdits {
			pf.Edits = append(pf.Edits, pEdit{t.pos(e.Pos), t.pos(e.End), e.NewText})
		}
		pd.Fixes = append(pd.Fixes, pf)
	}
	return pd
}

// A posMap turns a pkgResult's positions into positions of a FileSet.
type posMap struct {
	fset  *token.FileSet
	files []*token.File
}

func newPosMap(fset *token.FileSet, files []pFile) *posMap {
	m := &posMap{fset: fset, files: make([]*token.File, len(files))}
	for i, pf := range files {
		tf := fset.AddFile(pf.Name, -1, pf.Size)
		tf.SetLines(pf.Lines)
		for _, info := range pf.Infos {
			tf.AddLineColumnInfo(info.Offset, info.Filename, info.Line, info.Column)
		}
		m.files[i] = tf
	}
	return m
}

func (m *posMap) pos(p pPos) token.Pos {
	if p.File == 0 {
		return token.NoPos
	}
	return m.files[p.File-1].Pos(p.Offset)
}

// diagnostic returns pd as an analysis.Diagnostic of m's FileSet.
func (m *posMap) diagnostic(pd pDiag) analysis.Diagnostic {
	d := analysis.Diagnostic{
		Pos:      m.pos(pd.Pos),
		End:      m.pos(pd.End),
		Category: pd.Category,
		URL:      pd.URL,
		Message:  pd.Message,
	}
	for _, r := range pd.Related {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: m.pos(r.Pos), End: m.pos(r.End), Message: r.Message})
	}
	for _, f := range pd.Fixes {
		sf := analysis.SuggestedFix{Message: f.Message}
		for _, e := range f.Edits {
			sf.TextEdits = append(sf.TextEdits, analysis.TextEdit{Pos: m.pos(e.Pos), End: m.pos(e.End), NewText: e.NewText})
		}
		d.SuggestedFixes = append(d.SuggestedFixes, sf)
	}
	return d
}

// finding makes the finding of pd, reported in pkg.
func (m *posMap) finding(a *analysis.Analyzer, pkg *packages.Package, pd pDiag) *finding {
	d := m.diagnostic(pd)
	return &finding{
		analyzer: a,
		pkg:      pkg,
		pkgID:    pkg.ID,
		fset:     m.fset,
		diag:     d,
		posn:     m.fset.Position(d.Pos),
		end:      m.fset.Position(cmp.Or(d.End, d.Pos)),
		function: pd.Function,
	}
}
