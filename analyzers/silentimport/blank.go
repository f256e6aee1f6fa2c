package silentimport

import (
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/resilvet/resilvet/internal/lint"
)

// checkBlankImports reports the unjustified blank imports of a library
// package.
func checkBlankImports(pass *lint.Pass, uses []localUse) {
	switch name := pass.Pkg.Name(); {
	case name == "main", strings.HasSuffix(name, "_test"):
		return // a program or an external test package may import for effect
	case name == "tools":
		return // the tools.go convention without its build tag: a list of dependencies to keep
	}
	for _, f := range pass.Files {
		if isTestFile(pass, f) || toolsFile(f) {
			continue // tests and tool dependency lists import for effect
		}
		if onlyBlankImports(f) {
			// A file that is nothing but blank imports — a registration
			// file behind a build tag, a list of dependencies — exists to
			// import for effect: whoever imports its package asks for the
			// effect by name.
			continue
		}
		linked := linknamed(f)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT {
				continue // not an import declaration
			}
			// A comment above a run of blank imports on consecutive
			// lines justifies the whole run.
			runJustified, prevLine := false, -1
			for _, spec := range gd.Specs {
				spec := spec.(*ast.ImportSpec)
				line := pass.Fset.Position(spec.Pos()).Line
				if spec.Name == nil || spec.Name.Name != "_" {
					runJustified = false
					continue // not a blank import
				}
				// A comment above carries down the run; one on the line
				// speaks for that line only.
				above := justified(spec.Doc) || (!gd.Lparen.IsValid() && justified(gd.Doc)) ||
					(runJustified && line == prevLine+1 && spec.Doc == nil)
				justifiedHere := above || justified(spec.Comment)
				runJustified, prevLine = above, pass.Fset.Position(spec.End()).Line
				path, err := strconv.Unquote(spec.Path.Value)
				switch {
				case err != nil, path == "embed", path == "unsafe", path == "C":
					continue // needed by //go:embed or //go:linkname
				case linked[path]:
					continue // a //go:linkname target must be imported
				case usedHere(pass, spec, uses):
					continue // registers a driver or format that this package uses itself
				case isInternal(path):
					continue // the library's own internal package: no program could import it instead
				case justifiedHere:
					continue // the author says why
				}
				pass.Report(ruleBlank, analysisDiag(spec, fmt.Sprintf(
					"blank import of %q in a library: programs get its side effect without seeing it; say why in a comment or move it to package main", path)))
			}
		}
	}
}

// onlyBlankImports reports whether f declares nothing but imports, all of
// them blank.
func onlyBlankImports(f *ast.File) bool {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			return false // a declaration of its own
		}
		for _, spec := range gd.Specs {
			if s := spec.(*ast.ImportSpec); s.Name == nil || s.Name.Name != "_" {
				return false // an import the file uses by name
			}
		}
	}
	return len(f.Imports) > 0
}

// usedHere reports whether the package blank-imported by spec registers
// an SQL driver that this package opens by a constant name, or an image
// format while this package decodes images: the library then needs the
// side effect itself, as its own code shows.
func usedHere(pass *lint.Pass, spec *ast.ImportSpec, uses []localUse) bool {
	pkgName := pass.TypesInfo.PkgNameOf(spec)
	if pkgName == nil {
		return false // not type-checked
	}
	var f registry
	if !pass.ImportPackageFact(pkgName.Imported(), &f) {
		return false // registers nothing we know of
	}
	for _, u := range uses {
		if u.name == "" && f.Formats {
			return true // decodes images with the formats it imports
		}
		if _, found := slices.BinarySearch(f.Registers, u.name); found && u.name != "" {
			return true // opens the driver it imports
		}
	}
	return false
}

// linknamed returns the packages that the //go:linkname directives of f
// refer to: "//go:linkname local sync.poolCleanup" needs sync imported.
func linknamed(f *ast.File) map[string]bool {
	var paths map[string]bool
	for _, g := range f.Comments {
		for _, c := range g.List {
			fields := strings.Fields(c.Text)
			if len(fields) != 3 || fields[0] != "//go:linkname" {
				continue // not a directive that names a target
			}
			target := fields[2]
			if i := strings.LastIndexByte(target, '/'); i >= 0 {
				if j := strings.IndexByte(target[i:], '.'); j >= 0 {
					target = target[:i+j]
				}
			} else if j := strings.IndexByte(target, '.'); j >= 0 {
				target = target[:j]
			}
			if paths == nil {
				paths = make(map[string]bool)
			}
			paths[target] = true
		}
	}
	return paths
}

// isInternal reports whether path is an internal package: one that only
// its own tree, and so never a program's main package elsewhere, may
// import.
func isInternal(path string) bool {
	return path == "internal" || strings.HasPrefix(path, "internal/") ||
		strings.HasSuffix(path, "/internal") || strings.Contains(path, "/internal/")
}

// justified reports whether g says something beyond directives such as
// //nolint:revive.
func justified(g *ast.CommentGroup) bool {
	if g == nil {
		return false // no comment at all
	}
	for _, c := range g.List {
		text := c.Text
		if strings.HasPrefix(text, "/*") {
			text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
		} else {
			text = strings.TrimPrefix(text, "//")
			if text != "" && text[0] != ' ' && text[0] != '\t' {
				// A directive (//nolint:x, //go:embed): only what follows
				// a second // counts.
				_, text, _ = strings.Cut(text, "//")
			}
		}
		if strings.ContainsFunc(text, func(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }) {
			return true // words, not just a directive or punctuation
		}
	}
	return false
}

// toolsFile reports whether f is built only with the tools tag, the
// convention for files that record tool dependencies with blank imports.
func toolsFile(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break // build constraints precede the package clause
		}
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue // not a //go:build line
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				continue // malformed: the go command rejects it anyway
			}
			if mentionsTools(expr) {
				return true
			}
		}
	}
	return false
}

func mentionsTools(e constraint.Expr) bool {
	switch e := e.(type) {
	case *constraint.TagExpr:
		return e.Tag == "tools"
	case *constraint.NotExpr:
		return false // !tools: built normally
	case *constraint.AndExpr:
		return mentionsTools(e.X) || mentionsTools(e.Y)
	case *constraint.OrExpr:
		return mentionsTools(e.X) && mentionsTools(e.Y)
	}
	return false
}
