package fix_test

import (
	"go/token"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/srctest"
)

// TestTypeText: a type is written with the file's names for the packages
// it mentions, importing those the file lacks, and not at all when it
// mentions another package's unexported type or a shadowed package.
func TestTypeText(t *testing.T) {
	stubs := map[string]string{
		"example.com/lib":   "package lib\n\nimport \"example.com/other\"\n\ntype T[X any] struct{}\n\ntype hidden struct{}\n\nfunc H() *hidden { return nil }\n\nfunc G() *T[int] { return nil }\n\nfunc O() *other.T { return nil }\n",
		"example.com/other": "package other\n\ntype T struct{}\n",
	}
	for _, tc := range []struct {
		name, src, expr string // the type of the package-level variable v is written at the marker
		want            string
		wantImport      bool
		wantOK          bool
	}{
		{
			name:   "own and imported types",
			src:    "package p\n\nimport l \"example.com/lib\"\n\ntype own struct{}\n\nvar v map[string]*l.T[own]\n\nfunc f() { /*@*/ }\n",
			want:   "map[string]*l.T[own]",
			wantOK: true,
		},
		{
			name:   "a generic instance, at the end of the file",
			src:    "package p\n\nimport \"example.com/lib\"\n\nvar v = lib.G()\n",
			want:   "*lib.T[int]",
			wantOK: true,
		},
		{
			name:       "a package the file does not import",
			src:        "package p\n\nimport \"example.com/lib\"\n\nvar v = lib.O()\n\nfunc f() { /*@*/ }\n",
			want:       "*other.T",
			wantOK:     true,
			wantImport: true,
		},
		{
			name:   "another package's unexported type",
			src:    "package p\n\nimport \"example.com/lib\"\n\nvar v = lib.H()\n\nfunc f() { /*@*/ }\n",
			wantOK: false,
		},
		{
			name:   "the package's own type shadowed at pos",
			src:    "package p\n\ntype conf struct{}\n\nvar v []conf\n\nfunc f() {\n\tconf := 1\n\t_ = conf /*@*/\n}\n",
			wantOK: false,
		},
		{
			name:   "a predeclared type shadowed at pos",
			src:    "package p\n\nvar v struct{ n int }\n\nfunc f(int string) { /*@*/ }\n",
			wantOK: false,
		},
		{
			name:   "an own generic type of an imported type, the import renamed",
			src:    "package p\n\nimport l \"example.com/other\"\n\ntype box[T any] struct{ v T }\n\nvar v box[l.T]\n\nfunc f() { /*@*/ }\n",
			want:   "box[l.T]",
			wantOK: true,
		},
		{
			name:   "the package's name shadowed at pos",
			src:    "package p\n\nimport \"example.com/lib\"\n\nvar v = lib.G()\n\nfunc f(lib int) { /*@*/ }\n",
			wantOK: false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := srctest.Check(t, stubs, "example.com/p", tc.src)
			file := p.Files[0]
			pos := file.End() - 1
			if at := strings.Index(tc.src, marker); at >= 0 {
				pos = file.FileStart + token.Pos(at)
			}
			typ := p.Pkg.Scope().Lookup("v").Type()
			got, edits, ok := fix.TypeText(p.Info, file, p.Pkg, pos, typ)
			if ok != tc.wantOK {
				t.Fatalf("TypeText(%s) ok = %v, want %v", typ, ok, tc.wantOK)
			}
			if got != tc.want {
				t.Errorf("TypeText(%s) = %q, want %q", typ, got, tc.want)
			}
			if (len(edits) > 0) != tc.wantImport {
				t.Errorf("TypeText(%s) edits = %v, want an import: %v", typ, edits, tc.wantImport)
			}
		})
	}
}
