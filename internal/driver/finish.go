package driver

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// finish removes the imports that the edits made unused and formats the
// lines the edits touched (touched: 0-based lines of after) as gofmt would,
// leaving every other line as the user wrote it. A result that does not
// parse is a bug in a fix: it is an error rather than a file written
// broken.
func finish(name string, before, after []byte, touched map[int]bool) ([]byte, error) {
	fset := token.NewFileSet()
	// Object resolution tells a package name from a local of the same
	// name: `time := clock{}; time.Now()` is no use of package time.
	file, err := parser.ParseFile(fset, name, after, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("the fixes produce code that does not parse: %w", err)
	}
	usedBefore := usedImports(before)
	usedAfter := packageUses(file)
	touched = clone(touched)
	var unused []*ast.ImportSpec
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if usedBefore[path] && !usedAfter[importName(spec, path)] {
			unused = append(unused, spec)
		}
	}
	for _, spec := range unused {
		path, _ := strconv.Unquote(spec.Path.Value)
		// The spec's lines and the declaration's parentheses, which
		// deleting the last spec removes, are the fix's doing too.
		for _, decl := range file.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Pos() <= spec.Pos() && spec.End() <= gd.End() {
				markLines(touched, fset, gd.Pos(), gd.End())
			}
		}
		astutil.DeleteNamedImport(fset, file, specName(spec), path)
	}
	ast.SortImports(fset, file) // as gofmt does
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, file); err != nil {
		return nil, fmt.Errorf("formatting the fixed file: %w", err)
	}
	kept := keepUntouched(after, buf.Bytes(), touched)
	if _, err := parser.ParseFile(token.NewFileSet(), name, kept, parser.SkipObjectResolution); err != nil {
		return buf.Bytes(), nil // mixing the two broke it: format it all
	}
	return kept, nil
}

func clone(m map[int]bool) map[int]bool {
	out := make(map[int]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func markLines(lines map[int]bool, fset *token.FileSet, from, to token.Pos) {
	for l := fset.Position(from).Line; l <= fset.Position(to).Line; l++ {
		lines[l-1] = true
	}
}

// keepUntouched returns formatted, except that each run of changed lines
// that formatting made in lines the edits did not touch is undone: a fix
// must not reformat code it did not write. A run counts as touched if it
// replaces a touched line, or inserts next to one.
func keepUntouched(orig, formatted []byte, touched map[int]bool) []byte {
	ops := diffLines(splitLines(string(orig)), splitLines(string(formatted)))
	var out strings.Builder
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			out.WriteString(ops[i].line)
			i++
			continue
		}
		j := i
		hit := false
		for j < len(ops) && ops[j].kind != ' ' {
			if op := ops[j]; op.kind == '-' && touched[op.ai] || op.kind == '+' && (touched[op.ai] || touched[op.ai-1]) {
				hit = true
			}
			j++
		}
		for _, op := range ops[i:j] {
			if hit && op.kind == '+' || !hit && op.kind == '-' {
				out.WriteString(op.line)
			}
		}
		i = j
	}
	return []byte(out.String())
}

// usedImports returns the paths of the imports that src uses.
func usedImports(src []byte) map[string]bool {
	file, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		return nil
	}
	uses := packageUses(file)
	used := make(map[string]bool)
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if uses[importName(spec, path)] {
			used[path] = true
		}
	}
	return used
}

// packageUses returns the names used as X in a selector X.Sel where X is
// not declared in the file (object resolution leaves it unresolved): a
// package name can only be used that way, so an import whose name is not
// among them is unused. A name resolved to a local, a parameter or a
// declaration of the file is not a package.
func packageUses(file *ast.File) map[string]bool {
	names := make(map[string]bool)
	for _, decl := range file.Decls {
		ast.Inspect(decl, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				//lint:ignore SA1019 object resolution is what tells a package from a local here; the file has no type information
				if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
					names[id.Name] = true
				}
			}
			return true
		})
	}
	return names
}

// importName is the name an import declares; for an unnamed import, the
// last element of its path (the fixes only remove imports they made
// unused, so a package named unlike its path is at worst left in place).
func importName(spec *ast.ImportSpec, path string) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	name := path[strings.LastIndex(path, "/")+1:]
	if strings.HasPrefix(name, "v") && len(name) > 1 && strings.Trim(name[1:], "0123456789") == "" {
		// gopkg.in/yaml.v3-style and example.com/m/v2: the name is the
		// element before the major version.
		if rest := path[:strings.LastIndex(path, "/")]; rest != "" {
			name = rest[strings.LastIndex(rest, "/")+1:]
		}
	}
	return name
}

func specName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	return ""
}

func importPaths(src []byte) map[string]bool {
	file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return nil
	}
	paths := make(map[string]bool)
	for _, spec := range file.Imports {
		if path, err := strconv.Unquote(spec.Path.Value); err == nil {
			paths[path] = true
		}
	}
	return paths
}
