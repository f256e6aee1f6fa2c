package driver

import (
	"bytes"
	"encoding/gob"
	"go/parser"
	"go/token"
	"testing"
)

// TestPortablePositions checks that every position of a file, the end of
// the file included, reads back through a pkgResult (gob-encoded, as the
// cache holds it) as the FileSet it was recorded in gives it, whether
// recorded alone or with every other position of the file, in files whose
// //line directives move positions: at the top, with columns, in the
// middle, and at the very end of the file, where the directive moves
// nothing (the scanner drops line information at the file's size) but the
// end-of-file position follows the directive before it.
func TestPortablePositions(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"no directive", "package p\n\nfunc F() {}\n"},
		{"at the top", "//line gen.go:10\npackage p\n\nfunc F() {}\n"},
		{"with a column", "package p\n\n/*line gen.go:20:5*/func F() {}\n"},
		{"in the middle", "package p\n\nfunc F() {}\n//line gen.go:30\nfunc G() {}\n"},
		{"at the end", "package p\n\nfunc F() {}\n//line gen.go:30\n"},
		{"at the end, no newline", "package p\n\nfunc F() {}\n//line gen.go:30"},
		{"at the end, after another", "//line gen.go:10\npackage p\n\nfunc F() {}\n//line other.go:40\n"},
		{"two, the second at the end", "package p\n//line gen.go:10\nfunc F() {}\n//line other.go:40:3\n"},
		{"no newline at the end", "//line gen.go:10\npackage p\n\nfunc F() {}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", tc.src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			tf := fset.File(f.FileStart)
			want := func(off int) token.Position { return fset.Position(tf.Pos(off)) }
			// All of the file's positions in one result, then each alone.
			all := newPosTable(fset)
			var recorded []pPos
			for off := 0; off <= tf.Size(); off++ {
				recorded = append(recorded, all.pos(tf.Pos(off)))
			}
			m := roundTrip(t, all.table())
			for off, pp := range recorded {
				if got := m.fset.Position(m.pos(pp)); got != want(off) {
					t.Errorf("offset %d, recorded with the others: %v, want %v", off, got, want(off))
				}
			}
			for off := 0; off <= tf.Size(); off++ {
				one := newPosTable(fset)
				pp := one.pos(tf.Pos(off))
				m := roundTrip(t, one.table())
				if got := m.fset.Position(m.pos(pp)); got != want(off) {
					t.Errorf("offset %d, recorded alone: %v, want %v", off, got, want(off))
				}
			}
		})
	}
}

// roundTrip encodes files as the cache does and makes a posMap of what
// decodes.
func roundTrip(t *testing.T, files []pFile) *posMap {
	t.Helper()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(files); err != nil {
		t.Fatal(err)
	}
	var back []pFile
	if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
		t.Fatal(err)
	}
	return newPosMap(token.NewFileSet(), back)
}
