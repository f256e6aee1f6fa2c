package silentimport

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// registry is the package fact of rule unregistered: what a package and
// everything it imports, test files excluded, register and open. Each
// package merges the facts of its direct imports into its own, because go
// vet shows a package only the facts of its direct imports. Packages with
// nothing to say export no fact.
type registry struct {
	Registers []string // constant names given to sql.Register, sorted
	Opens     []opened // constant names given to sql.Open, sorted, one per name
	Dynamic   bool     // sql.Register is called with a name that is not a constant
	Formats   bool     // image.RegisterFormat is called
	Decodes   string   // a package that calls image.Decode or DecodeConfig, or ""
}

// opened is a driver name given to sql.Open and the first package, in
// path order, that opens it.
type opened struct{ Name, Pkg string }

func (*registry) AFact() {}

func (r *registry) String() string {
	var parts []string
	if len(r.Registers) > 0 {
		parts = append(parts, "registers("+strings.Join(r.Registers, ",")+")")
	}
	if len(r.Opens) > 0 {
		var os []string
		for _, o := range r.Opens {
			os = append(os, o.Name+"@"+o.Pkg)
		}
		parts = append(parts, "opens("+strings.Join(os, ",")+")")
	}
	if r.Dynamic {
		parts = append(parts, "dynamic")
	}
	if r.Formats {
		parts = append(parts, "formats")
	}
	if r.Decodes != "" {
		parts = append(parts, "decodes("+r.Decodes+")")
	}
	return strings.Join(parts, " ")
}

func (r *registry) empty() bool {
	return len(r.Registers) == 0 && len(r.Opens) == 0 && !r.Dynamic && !r.Formats && r.Decodes == ""
}

func (r *registry) register(name string) {
	if i, found := slices.BinarySearch(r.Registers, name); !found {
		r.Registers = slices.Insert(r.Registers, i, name)
	}
}

func (r *registry) open(o opened) {
	i, found := slices.BinarySearchFunc(r.Opens, o.Name, func(x opened, name string) int { return cmp.Compare(x.Name, name) })
	switch {
	case !found:
		r.Opens = slices.Insert(r.Opens, i, o)
	case o.Pkg < r.Opens[i].Pkg:
		r.Opens[i] = o // the first package in path order, so that the fact is deterministic
	}
}

func (r *registry) decodes(pkg string) {
	if r.Decodes == "" || pkg < r.Decodes {
		r.Decodes = pkg
	}
}

func (r *registry) merge(o *registry) {
	for _, name := range o.Registers {
		r.register(name)
	}
	for _, op := range o.Opens {
		r.open(op)
	}
	r.Dynamic = r.Dynamic || o.Dynamic
	r.Formats = r.Formats || o.Formats
	if o.Decodes != "" {
		r.decodes(o.Decodes)
	}
}

// A localUse is a call of this package that rule unregistered may report.
type localUse struct {
	call *ast.CallExpr
	name string // the driver name, or "" for an image decode
}

// A registryScan is what the fact pass found in the package: the registry
// of its program part, its own included, and the uses that rule
// unregistered may report.
type registryScan struct {
	reg  *registry
	uses []localUse
}

// findRegistry is the fact pass: it computes and exports the package's
// registry fact, on every package, dependencies included, so that main
// packages see what their programs register, and libraries which of their
// blank imports they use themselves. It is cheap on purpose: a walk of the
// syntax, and only in packages that can register, open or decode.
func findRegistry(pass *lint.Pass) (any, error) {
	if !pass.AnyEnabled(ruleUnregistered, ruleBlank) {
		return nil, nil // no rule needs the fact
	}
	r := new(registry)
	for _, imp := range programImports(pass) {
		var f registry
		if pass.ImportPackageFact(imp, &f) {
			r.merge(&f)
		}
	}
	var uses []localUse
	self := match.PkgPath(pass.Pkg)
	if match.Imports(pass.Pkg, "database/sql", "image") || self == "database/sql" || self == "image" {
		uses = scanRegistry(pass, r, self)
	}
	if pass.Pkg.Name() != "main" && !r.empty() {
		pass.ExportPackageFact(r) // nothing imports a program: no fact needed there
	}
	return &registryScan{reg: r, uses: uses}, nil
}

// programImports returns the packages that the package's non-test files
// import, blank imports included: the part of the program it brings in.
func programImports(pass *lint.Pass) []*types.Package {
	paths := make(map[string]bool)
	for _, f := range pass.Files {
		if isTestFile(pass, f) {
			continue // test files are not part of the program
		}
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err == nil {
				paths[p] = true
			}
		}
	}
	var imps []*types.Package
	for _, imp := range pass.Pkg.Imports() {
		if paths[match.PkgPath(imp)] || paths[imp.Path()] {
			imps = append(imps, imp)
		}
	}
	return imps
}

// scanRegistry adds the package's own registrations, opens and decodes to
// r, and returns the opens and decodes of non-test files.
func scanRegistry(pass *lint.Pass, r *registry, self string) []localUse {
	var uses []localUse
	for n := range nav.Preorder(pass.Files) {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			continue
		}
		fn := match.Callee(pass.TypesInfo, call)
		switch {
		case fn == nil:
			continue // not a call of a declared function
		case isTestFile(pass, pass.File(call.Pos())):
			continue // test files are not part of the program
		case match.IsFunc(fn, "database/sql", "Register") && len(call.Args) == 2:
			if name, ok := registeredName(pass, call.Args[0]); ok {
				r.register(name)
			} else {
				r.Dynamic = true
			}
		case match.IsFunc(fn, "database/sql", "Open") && len(call.Args) == 2:
			if name, ok := constString(pass.TypesInfo, call.Args[0]); ok {
				r.open(opened{Name: name, Pkg: self})
				uses = append(uses, localUse{call: call, name: name})
			}
		case match.IsFunc(fn, "image", "RegisterFormat"):
			r.Formats = true
		case match.IsFunc(fn, "image", "Decode", "DecodeConfig"):
			r.decodes(self)
			uses = append(uses, localUse{call: call})
		}
	}
	return uses
}

// registeredName returns the driver name that e, an argument of
// sql.Register, always holds: a constant, or a package-level string
// variable initialised with a constant and never assigned or addressed in
// its package. go-sql-driver/mysql registers "mysql" that way, so that
// only the linker's -X flag may rename it.
func registeredName(pass *lint.Pass, e ast.Expr) (string, bool) {
	if name, ok := constString(pass.TypesInfo, e); ok {
		return name, true
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return "", false // an expression computed at run time
	}
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pkg() != pass.Pkg || v.Parent() != pass.Pkg.Scope() {
		return "", false // a local or another package's variable
	}
	name, found := "", false
	for n := range nav.Preorder(pass.Files) {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for i, nid := range n.Names {
				if pass.TypesInfo.Defs[nid] == v && len(n.Values) == len(n.Names) {
					name, found = constString(pass.TypesInfo, n.Values[i])
				}
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if lid, ok := ast.Unparen(lhs).(*ast.Ident); ok && pass.TypesInfo.Uses[lid] == v {
					return "", false // assigned at run time
				}
			}
		case *ast.UnaryExpr:
			if x, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && pass.TypesInfo.Uses[x] == v {
				return "", false // its address escapes: anything may set it
			}
		}
	}
	return name, found
}

func isTestFile(pass *lint.Pass, f *ast.File) bool {
	return f != nil && strings.HasSuffix(pass.Fset.File(f.FileStart).Name(), "_test.go")
}

// reportUnregistered reports, in a main package, each driver name opened
// in the program that nothing registers, and decoding with no format. A
// use in this package is reported where it is; a use elsewhere in the
// program is reported at func main.
func reportUnregistered(pass *lint.Pass, r *registry, uses []localUse) {
	anchor := mainAnchor(pass)
	if !r.Dynamic {
		for _, o := range r.Opens {
			if _, found := slices.BinarySearch(r.Registers, o.Name); found {
				continue // registered somewhere in the program
			}
			hint := "import the package that registers it"
			if imp, ok := driverImports[o.Name]; ok {
				hint = fmt.Sprintf("import _ %q or another driver that registers it", imp)
			}
			local := false
			for _, u := range uses {
				if u.call != nil && u.name == o.Name {
					local = true
					pass.Reportf(ruleUnregistered, u.call.Args[0],
						"sql driver %q is never registered in this program: sql.Open fails with \"unknown driver\"; %s", o.Name, hint)
				}
			}
			if !local && anchor != nil {
				pass.Reportf(ruleUnregistered, anchor,
					"sql driver %q, opened in %s, is never registered in this program: sql.Open fails with \"unknown driver\"; %s", o.Name, o.Pkg, hint)
			}
		}
	}
	if r.Decodes == "" || r.Formats {
		return // decodes nothing, or registers a format
	}
	const hint = "every decode fails with \"image: unknown format\"; import _ \"image/png\" (or image/jpeg, image/gif) for each format it reads"
	local := false
	for _, u := range uses {
		if u.name == "" {
			local = true
			pass.Reportf(ruleUnregistered, u.call.Fun, "this program decodes images but registers no image format: %s", hint)
		}
	}
	if !local && anchor != nil {
		pass.Reportf(ruleUnregistered, anchor, "this program decodes images in %s but registers no image format: %s", r.Decodes, hint)
	}
}

// mainAnchor returns the name of func main, where findings about the
// whole program are reported, or nil.
func mainAnchor(pass *lint.Pass) analysis.Range {
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
				return fd.Name
			}
		}
	}
	return nil
}

// driverImports names the package that usually registers a driver name.
var driverImports = map[string]string{
	"postgres":    "github.com/lib/pq",
	"pgx":         "github.com/jackc/pgx/v5/stdlib",
	"pgx/v5":      "github.com/jackc/pgx/v5/stdlib",
	"mysql":       "github.com/go-sql-driver/mysql",
	"sqlite3":     "github.com/mattn/go-sqlite3",
	"sqlite":      "modernc.org/sqlite",
	"sqlserver":   "github.com/microsoft/go-mssqldb",
	"mssql":       "github.com/microsoft/go-mssqldb",
	"clickhouse":  "github.com/ClickHouse/clickhouse-go/v2",
	"snowflake":   "github.com/snowflakedb/gosnowflake",
	"godror":      "github.com/godror/godror",
	"oracle":      "github.com/sijms/go-ora/v2",
	"firebirdsql": "github.com/nakagami/firebirdsql",
	"trino":       "github.com/trinodb/trino-go-client/trino",
	"spanner":     "github.com/googleapis/go-sql-spanner",
	"duckdb":      "github.com/marcboeker/go-duckdb",
	"libsql":      "github.com/tursodatabase/libsql-client-go/libsql",
}
