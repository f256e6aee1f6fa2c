package fix

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/match"
)

// ZeroValue returns the zero value of t as the code at pos in file, of
// package pkg, can write it, and the edits that import the packages it
// names (through AddImport, so with the file's own names for them). It
// reports false for a type that cannot be named there: one that mentions
// an unexported type of another package, or a package whose name is
// shadowed at pos.
func ZeroValue(info *types.Info, file *ast.File, pkg *types.Package, pos token.Pos, t types.Type) (string, []analysis.TextEdit, bool) {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		if !visibleAt(info, file, pos, tp.Obj()) || !visibleAt(info, file, pos, types.Universe.Lookup("new")) {
			return "", nil, false // the type parameter or new is shadowed at pos
		}
		return "*new(" + tp.Obj().Name() + ")", nil, true
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", nil, true
		case u.Info()&types.IsNumeric != 0:
			return "0", nil, true
		case u.Info()&types.IsString != 0:
			return `""`, nil, true
		case u.Kind() == types.UnsafePointer:
			return "nil", nil, true
		}
		return "", nil, false // an invalid type
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return "nil", nil, true
	case *types.Struct, *types.Array:
		s, edits, ok := TypeText(info, file, pkg, pos, t)
		if !ok {
			return "", nil, false
		}
		return s + "{}", edits, true
	}
	return "", nil, false
}

// TypeText returns t as the code at pos in file, of package pkg, can write
// it — with the file's names for the packages it mentions — and the edits
// that import those it does not import yet (through AddImport). It
// reports false for a type that cannot be named there: one that mentions
// an unexported type or field of another package, or a package whose name
// is shadowed at pos.
func TypeText(info *types.Info, file *ast.File, pkg *types.Package, pos token.Pos, t types.Type) (string, []analysis.TextEdit, bool) {
	visible := func(obj *types.TypeName) bool { return visibleAt(info, file, pos, obj) }
	if !nameable(t, pkg, visible) {
		return "", nil, false // mentions another package's unexported type, or a name shadowed at pos
	}
	var edits []analysis.TextEdit
	ok := true
	qual := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		prefix, e, found := AddImport(info, file, pos, match.PkgPath(p), p.Name(), "")
		ok = ok && found
		edits = append(edits, e...)
		return strings.TrimSuffix(prefix, ".")
	}
	s := types.TypeString(t, qual)
	if !ok {
		return "", nil, false // a package that cannot be named here
	}
	return s, Dedup(edits), true
}

// visibleAt reports whether obj's name denotes obj at pos in file.
func visibleAt(info *types.Info, file *ast.File, pos token.Pos, obj types.Object) bool {
	scope := info.Scopes[file]
	if scope == nil {
		return true // no scopes recorded: nothing to check against
	}
	if inner := scope.Innermost(pos); inner != nil {
		scope = inner
	}
	_, found := scope.LookupParent(obj.Name(), pos)
	return found == obj
}

// nameable reports whether code in pkg can write t: every named type it
// mentions is exported or pkg's own, and those written unqualified — pkg's
// own and predeclared ones — are the objects their names denote where the
// text goes (visible): a local `conf := …` would capture a type conf.
func nameable(t types.Type, pkg *types.Package, visible func(*types.TypeName) bool) bool {
	ok := true
	seen := make(map[types.Type]bool)
	var walk func(types.Type)
	walk = func(t types.Type) {
		if !ok || seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Named, *types.Alias:
			obj := t.(interface{ Obj() *types.TypeName }).Obj()
			if obj.Pkg() != nil && obj.Pkg() != pkg && !obj.Exported() {
				ok = false
				return
			}
			if (obj.Pkg() == nil || obj.Pkg() == pkg) && !visible(obj) {
				ok = false // written unqualified, and the name means something else here
				return
			}
			if named, isNamed := t.(*types.Named); isNamed {
				for ta := range named.TypeArgs().Types() {
					walk(ta)
				}
			}
		case *types.Basic:
			if obj, isType := types.Universe.Lookup(t.Name()).(*types.TypeName); isType && !visible(obj) {
				ok = false // int := 1 hides the type int
				return
			}
		case *types.Pointer:
			walk(t.Elem())
		case *types.Slice:
			walk(t.Elem())
		case *types.Array:
			walk(t.Elem())
		case *types.Map:
			walk(t.Key())
			walk(t.Elem())
		case *types.Chan:
			walk(t.Elem())
		case *types.Struct:
			for f := range t.Fields() {
				if !f.Exported() && f.Pkg() != pkg {
					ok = false // a field this package cannot write
					return
				}
				walk(f.Type())
			}
		case *types.Signature:
			for v := range t.Params().Variables() {
				walk(v.Type())
			}
			for v := range t.Results().Variables() {
				walk(v.Type())
			}
		case *types.Interface:
			for m := range t.ExplicitMethods() {
				walk(m.Type())
			}
			for e := range t.EmbeddedTypes() {
				walk(e)
			}
		}
	}
	walk(t)
	return ok
}
