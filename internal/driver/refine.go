package driver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Export data keeps a declaration's file and line but not its column (the
// importer gives every position column 1), and names the standard library's
// files "$GOROOT/src/...". A finding that points into a dependency — a
// related location at an imported declaration, say — would then print
// differently than the whole-graph driver prints it, which has the source.
// A positioner finds such a position's declaration in the dependency's source
// file, parsed for that alone, and gives the position it has there.
type positioner struct {
	run *incrRun

	mu      sync.Mutex
	objects map[*universe]map[token.Pos]types.Object // declarations by their export data position
	files   map[string]map[int][]*ast.Ident          // file → line → identifiers
	goroot  string
}

// refine returns the source position of the pair pos, end (end may be
// NoPos) when pos is the position of a declaration that u read from export
// data, else pos, end unchanged.
func (ps *positioner) refine(u *universe, pos, end token.Pos) (token.Pos, token.Pos) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	obj := ps.objectAt(u, pos)
	if obj == nil {
		return pos, end
	}
	p := ps.run.fset.Position(pos)
	name := p.Filename
	if rest, ok := strings.CutPrefix(name, "$GOROOT"+string(filepath.Separator)); ok {
		if ps.goroot == "" {
			ps.goroot, _ = goEnv("GOROOT")
		}
		name = filepath.Join(ps.goroot, rest)
	}
	for _, id := range ps.identsOf(name)[p.Line] {
		if id.Name == obj.Name() {
			if end.IsValid() && end >= pos {
				end = id.Pos() + (end - pos) // the caller's offset from the declaration, as in rawbreaker's name spans
			}
			return id.Pos(), end
		}
	}
	return pos, end
}

// objectAt returns the declaration of u's packages at pos, if any.
func (ps *positioner) objectAt(u *universe, pos token.Pos) types.Object {
	if ps.objects == nil {
		ps.objects = make(map[*universe]map[token.Pos]types.Object)
	}
	index, ok := ps.objects[u]
	if !ok {
		index = make(map[token.Pos]types.Object)
		add := func(obj types.Object) {
			if _, dup := index[obj.Pos()]; !dup && obj.Pos().IsValid() {
				index[obj.Pos()] = obj
			}
		}
		u.mu.RLock()
		for _, pkg := range u.imports {
			scope := pkg.Scope()
			for _, name := range scope.Names() {
				obj := scope.Lookup(name)
				add(obj)
				tn, ok := obj.(*types.TypeName)
				if !ok {
					continue
				}
				if named, ok := tn.Type().(*types.Named); ok {
					for i := range named.NumMethods() {
						add(named.Method(i))
					}
				}
				switch t := tn.Type().Underlying().(type) {
				case *types.Struct:
					for i := range t.NumFields() {
						add(t.Field(i))
					}
				case *types.Interface:
					for i := range t.NumExplicitMethods() {
						add(t.ExplicitMethod(i))
					}
				}
			}
		}
		u.mu.RUnlock()
		ps.objects[u] = index
	}
	return index[pos]
}

// identsOf returns the identifiers of the file name by line, parsing it
// once.
func (ps *positioner) identsOf(name string) map[int][]*ast.Ident {
	if ps.files == nil {
		ps.files = make(map[string]map[int][]*ast.Ident)
	}
	if ids, ok := ps.files[name]; ok {
		return ids
	}
	ids := make(map[int][]*ast.Ident)
	ps.files[name] = ids
	src, err := os.ReadFile(name)
	if err != nil {
		return ids
	}
	// A file with syntax errors still has the identifiers parsed before
	// them: only a missing AST ends the search.
	f, _ := parser.ParseFile(ps.run.fset, name, src, parser.SkipObjectResolution)
	if f == nil {
		return ids
	}
	tf := ps.run.fset.File(f.FileStart)
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			line := tf.Line(id.Pos())
			ids[line] = append(ids[line], id)
		}
		return true
	})
	return ids
}
