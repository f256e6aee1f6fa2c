// AddImport and FreshName have no token.FileSet, so their edits are placed
// relative to syntax (after an import spec and its line comment, before a
// spec and its doc comment) rather than by line; they are gofmt-clean for
// gofmt-formatted input.

package fix

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/match"
)

// AddImport returns the prefix that qualifies member of the package at
// pkgPath at pos in file ("task.", or "" through a dot import), and the edits
// that add the import when the file lacks a usable one. preferredName is the
// package's own name (e.g. "task").
//
// An existing import of pkgPath, renamed or not, is reused when its name
// denotes that package at pos. Otherwise a new import is added under
// preferredName if that name is free — declared nowhere in the file's and
// package's scopes, not predeclared, and not visible at pos — else under the
// first free name among preferredName2, preferredName3, … (a renamed
// import).
//
// In the package at pkgPath itself, the prefix is "" and no import is
// added.
//
// ok is false when no safe edit exists: the file's existing import of
// pkgPath, or the package's own member, is shadowed at pos (a second import
// of the same path is never added), or info lacks the file's scopes.
func AddImport(info *types.Info, file *ast.File, pos token.Pos, pkgPath, preferredName, member string) (prefix string, edits []analysis.TextEdit, ok bool) {
	fileScope := info.Scopes[file]
	if fileScope == nil || !token.IsIdentifier(preferredName) {
		return "", nil, false // no type information, or a bad name from the caller
	}
	scope := fileScope.Innermost(pos)
	if scope == nil {
		return "", nil, false // pos is not in file
	}

	// A member of the file's own package needs no import (importing it
	// would be a cycle), only that nothing hides it at pos.
	if obj := fileScope.Parent().Lookup(member); obj != nil && match.PkgPath(obj.Pkg()) == pkgPath {
		if _, vis := scope.LookupParent(member, pos); vis == obj {
			return "", nil, true
		}
		return "", nil, false // shadowed at pos, and a package cannot qualify its own members
	}

	// Reuse an existing import if one is visible at pos.
	unusable := false
	for _, spec := range file.Imports {
		if path, err := strconv.Unquote(spec.Path.Value); err != nil || path != pkgPath {
			continue // another package
		}
		pkgName := info.PkgNameOf(spec)
		if pkgName == nil {
			unusable = true // not type-checked: we cannot tell what it declares
			continue
		}
		switch name := pkgName.Name(); name {
		case "_":
			continue // a blank import declares no name
		case ".":
			// The members are declared in the file scope; member is
			// usable unqualified unless something inner redeclares it.
			_, obj := scope.LookupParent(member, pos)
			if obj == nil || obj.Pkg() == pkgName.Imported() {
				return "", nil, true
			}
			unusable = true
		default:
			if _, obj := scope.LookupParent(name, pos); obj == pkgName {
				return name + ".", nil, true
			}
			unusable = true // shadowed at pos
		}
	}
	if unusable {
		return "", nil, false // adding a second import of pkgPath would be confusing
	}

	name := preferredName
	for i := 2; !free(fileScope, scope, pos, name); i++ {
		name = preferredName + strconv.Itoa(i)
	}
	spec, specName := strconv.Quote(pkgPath), ""
	if name != preferredName {
		spec, specName = name+" "+spec, name
	}
	return name + ".", []analysis.TextEdit{insertImport(file, pkgPath, specName, spec)}, true
}

// free reports whether name may be declared as an import of the file whose
// scope is fileScope and used at pos, in scope: no other declaration of the
// package or file uses it (that would not compile), it does not hide a
// predeclared identifier the file may use, and nothing visible at pos
// already has it.
func free(fileScope, scope *types.Scope, pos token.Pos, name string) bool {
	if name == "init" || name == "main" {
		return false // cannot import as init; main would confuse readers
	}
	if fileScope.Lookup(name) != nil || fileScope.Parent().Lookup(name) != nil {
		return false // taken by an import of this file or a package-level declaration
	}
	if _, obj := scope.LookupParent(name, pos); obj != nil {
		return false // visible at pos: a local, or a predeclared identifier
	}
	return types.Universe.Lookup(name) == nil // a predeclared name shadowed at pos is still used elsewhere
}

// insertImport returns the edit that adds the import spec (`"path"` or
// `name "path"`) to file; name is the spec's name, "" if none.
//
// In a file with a parenthesised import declaration, the spec goes into it
// next to the specs of its kind — standard library or not, and for the
// latter the ones sharing the longest path prefix — at its sorted place, so
// that gofmt's sorting of each block of consecutive lines keeps it there.
// Without one, a new import declaration follows the last one, or precedes
// the first declaration of a file without imports.
func insertImport(file *ast.File, path, name, spec string) analysis.TextEdit {
	var groups []*ast.GenDecl
	var last *ast.GenDecl
	decls := 0
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue // imports come first, but a bad file may interleave them
		}
		last, decls = gd, decls+1
		if gd.Lparen.IsValid() && !importsC(gd) {
			groups = append(groups, gd) // cgo wants import "C" on its own
		}
	}

	switch {
	case len(groups) > 0:
		return insertInGroups(groups, path, name, spec)
	case last != nil:
		if e, ok := parenthesise(last, spec); ok && decls == 1 {
			return e
		}
		return insertAt(endOf(last), "\nimport "+spec)
	case len(file.Decls) > 0:
		return insertAt(startOf(file.Decls[0]), "import "+spec+"\n\n")
	default:
		return insertAt(file.FileEnd, "\nimport "+spec+"\n")
	}
}

// parenthesise returns the edit that turns gd, an unparenthesised import
// declaration of one spec, into a parenthesised one holding that spec and
// the new one, in gofmt's order, standard library first and a blank line
// between the two kinds, as goimports writes them. It reports false, and
// the caller adds a declaration of its own, for import "C" and for a spec
// with a comment inside it, which rewriting could move. The caller uses it
// only in a file of one import declaration: a file that writes several
// unparenthesised ones keeps its style.
func parenthesise(gd *ast.GenDecl, spec string) (analysis.TextEdit, bool) {
	if gd.Lparen.IsValid() || len(gd.Specs) != 1 {
		return analysis.TextEdit{}, false // parenthesised, or not one spec
	}
	old := gd.Specs[0].(*ast.ImportSpec)
	if importPath(old) == "C" || old.Doc != nil {
		return analysis.TextEdit{}, false // cgo wants import "C" alone; a doc comment of a spec is not in a declaration of one
	}
	text := old.Path.Value
	if old.Name != nil {
		if old.Name.End()+1 != old.Path.Pos() {
			return analysis.TextEdit{}, false // not `name "path"` with one space: a comment or odd spacing between
		}
		text = old.Name.Name + " " + text
	}
	end := old.End()
	if c := old.Comment; c != nil {
		if len(c.List) != 1 || !strings.HasPrefix(c.List[0].Text, "//") {
			return analysis.TextEdit{}, false // a /* */ comment may be anywhere on the line
		}
		text += " " + c.List[0].Text
		end = c.End()
	}
	return analysis.TextEdit{Pos: startOf(old), End: end, NewText: []byte("(\n" + importBlock([]string{text, spec}) + ")")}, true
}

func insertInGroups(groups []*ast.GenDecl, path, name, spec string) analysis.TextEdit {
	std := isStd(path)
	// The candidates are the specs of our kind; for a non-standard path,
	// those that share most leading path elements with it.
	var cands []*ast.ImportSpec
	best := 0
	for _, gd := range groups {
		for _, s := range gd.Specs {
			s := s.(*ast.ImportSpec)
			p := importPath(s)
			if isStd(p) != std {
				continue // the other kind
			}
			if !std {
				n := commonPrefix(p, path)
				if n < best {
					continue // a closer relative exists
				}
				if n > best {
					best, cands = n, nil
				}
			}
			cands = append(cands, s)
		}
	}

	// Insert after the greatest candidate that sorts before the new spec,
	// which puts the spec in that candidate's block of lines; if none does,
	// before the least one.
	var after, before *ast.ImportSpec
	for _, s := range cands {
		if less(s, path, name) {
			if after == nil || less(after, importPath(s), specName(s)) {
				after = s
			}
		} else if before == nil || !less(before, importPath(s), specName(s)) {
			before = s
		}
	}
	switch {
	case after != nil:
		return insertAt(endOf(after), "\n\t"+spec)
	case before != nil:
		return insertAt(startOf(before), spec+"\n\t")
	}

	// No spec of our kind: start a block of our own, the standard
	// library's first, others last.
	if std {
		gd := groups[0]
		if len(gd.Specs) == 0 {
			return insertAt(gd.Lparen+1, "\n\t"+spec+"\n")
		}
		return insertAt(startOf(gd.Specs[0]), spec+"\n\n\t")
	}
	gd := groups[len(groups)-1]
	if len(gd.Specs) == 0 {
		return insertAt(gd.Lparen+1, "\n\t"+spec+"\n")
	}
	return insertAt(endOf(gd.Specs[len(gd.Specs)-1]), "\n\n\t"+spec)
}

func insertAt(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}

// startOf returns where n begins, including its doc comment.
func startOf(n ast.Node) token.Pos {
	var doc *ast.CommentGroup
	switch n := n.(type) {
	case *ast.ImportSpec:
		doc = n.Doc
	case *ast.GenDecl:
		doc = n.Doc
	case *ast.FuncDecl:
		doc = n.Doc
	}
	if doc != nil {
		return doc.Pos()
	}
	return n.Pos()
}

// endOf returns where n ends, including the line comment of an import spec
// or of an unparenthesised import declaration.
func endOf(n ast.Node) token.Pos {
	end := n.End()
	var s *ast.ImportSpec
	switch n := n.(type) {
	case *ast.ImportSpec:
		s = n
	case *ast.GenDecl:
		if !n.Lparen.IsValid() && len(n.Specs) == 1 {
			s, _ = n.Specs[0].(*ast.ImportSpec)
		}
	}
	if s != nil && s.Comment != nil && s.Comment.End() > end {
		end = s.Comment.End()
	}
	return end
}

func importsC(gd *ast.GenDecl) bool {
	for _, s := range gd.Specs {
		if importPath(s.(*ast.ImportSpec)) == "C" {
			return true
		}
	}
	return false
}

func importPath(s *ast.ImportSpec) string {
	p, err := strconv.Unquote(s.Path.Value)
	if err != nil {
		return s.Path.Value // unreachable for a file that parsed
	}
	return p
}

func specName(s *ast.ImportSpec) string {
	if s.Name != nil {
		return s.Name.Name
	}
	return ""
}

// less reports whether s sorts before an import of path named name, in
// gofmt's order: by path, then by name ("" for none).
func less(s *ast.ImportSpec, path, name string) bool {
	if p := importPath(s); p != path {
		return p < path
	}
	return specName(s) < name
}

// isStd reports whether path looks like a standard library path: its first
// element has no dot (goimports' rule).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// commonPrefix returns how many leading path elements a and b share.
func commonPrefix(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// FreshName returns a name, base or else the first of base1, base2, … that
// a fix may declare at pos in file without shadowing anything or being
// shadowed: nothing of that name is visible at pos (not even a predeclared
// identifier) or declared in the innermost scope at pos or any scope nested
// in it. Names in avoid are taken too: a fix that declares several names
// passes those it already chose, since FreshName sees only the code as it
// was.
func FreshName(info *types.Info, file *ast.File, pos token.Pos, base string, avoid ...string) string {
	scope := info.Scopes[file]
	if scope != nil {
		if inner := scope.Innermost(pos); inner != nil {
			scope = inner
		}
	}
	for i := 0; ; i++ {
		name := base
		if i > 0 {
			name = fmt.Sprintf("%s%d", base, i)
		}
		if slices.Contains(avoid, name) {
			continue // chosen for another declaration of the same fix
		}
		if scope == nil || isFresh(scope, pos, name) {
			return name
		}
	}
}

// isFresh reports whether name is free at pos in scope. In a well-typed
// file every identifier in the scope refers either to an object visible at
// pos or to one declared within the scope, so the two checks also keep any
// reference from being captured.
func isFresh(scope *types.Scope, pos token.Pos, name string) bool {
	if _, obj := scope.LookupParent(name, pos); obj != nil {
		return false // visible at pos: declaring it would shadow it
	}
	if declaredWithin(scope, name) {
		return false // declared later in the scope, or in a nested one
	}
	return true
}

func declaredWithin(scope *types.Scope, name string) bool {
	if scope.Lookup(name) != nil {
		return true
	}
	for child := range scope.Children() {
		if declaredWithin(child, name) {
			return true
		}
	}
	return false
}
