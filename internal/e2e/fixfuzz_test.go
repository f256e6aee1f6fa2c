package e2e_test

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/e2e"
	"github.com/resilvet/resilvet/internal/linttest"
)

// FuzzFixes checks the fix pipeline on any Go file that type-checks
// against the standard library and the runtime module: every analyzer of
// the suite runs with every rule on and runtime fixes on, in the default
// and in the strict profile. Each finding offers at most one fix, whose
// edits stay in the file, run forwards and do not overlap. Each fix alone
// leaves code that type-checks and has fewer findings like its own (same
// rule and message): a second -fix does not apply it again. The fixes are
// applied as resilvet -fix applies them (identical edits coalesce; a fix
// overlapping one taken waits for the next round; imports the fixes made
// unused are removed; the file is gofmt-ed), round after round until none
// is offered, and every round's result must parse and type-check. Rounds
// may chain (untracked's task.Go makes no-shutdown's finding), but must
// end within maxRounds.
//
// The seeds are the analyzers' testdata files, sources and goldens, that
// type-check on their own. Run it with
//
//	go test -run '^$' -fuzz=FuzzFixes -fuzztime=10m ./internal/e2e/
func FuzzFixes(f *testing.F) {
	u := loadUniverse(f)
	seeds := fuzzSeeds(f, u)
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 64<<10 {
			return // keep each run fast; size finds nothing small inputs do not
		}
		for _, profile := range u.profiles {
			checkFixes(t, u, profile, src)
		}
	})
}

// A universe is what every input is type-checked against, loaded once:
// the standard library packages the seeds and the fixes import and the
// runtime module's packages, from export data, so that loading takes
// seconds. Their facts are not computed: the analyzers see imported
// packages as a driver without their facts would, which changes which
// findings some inputs get, not what a fix must produce.
type universe struct {
	fset     *token.FileSet
	files    []*token.File
	pkgs     map[string]*types.Package // by import path
	profiles []profile
	err      error
}

// A profile is the suite configured one way.
type profile struct {
	name      string
	analyzers []*analysis.Analyzer
}

var (
	universeOnce sync.Once
	theUniverse  *universe
)

// fixImports are packages the fixes import, loaded whether or not a seed
// imports them.
var fixImports = []string{"context", "crypto/tls", "errors", "log", "log/slog", "net", "os", "sync", "time"}

func loadUniverse(f *testing.F) *universe {
	f.Helper()
	root := e2e.RepoRoot(f)
	universeOnce.Do(func() {
		u := &universe{pkgs: make(map[string]*types.Package)}
		theUniverse = u
		for _, strict := range []bool{false, true} {
			p := profile{name: "default"}
			if strict {
				p.name = "strict"
			}
			for _, a := range resilvet.Suite {
				flags := []string{"rules=+all"}
				if a.Flags.Lookup("runtimefixes") != nil {
					flags = append(flags, "runtimefixes=true")
				}
				if strict {
					flags = append(flags, "strict=true")
				}
				p.analyzers = append(p.analyzers, linttest.With(f, a, flags...))
			}
			u.profiles = append(u.profiles, p)
		}
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			u.err = err
			return
		}
		isStd := func(path string) bool {
			fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(goroot)), "src", filepath.FromSlash(path)))
			return err == nil && fi.IsDir()
		}
		patterns := slices.Clone(fixImports)
		for _, src := range seedFiles(f, root) {
			file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
			if err != nil {
				continue // not a seed
			}
			for _, spec := range file.Imports {
				path, _ := strconv.Unquote(spec.Path.Value)
				if path != "C" && isStd(path) && !slices.Contains(patterns, path) {
					patterns = append(patterns, path)
				}
			}
		}
		slices.Sort(patterns)
		// The runtime module is a module of its own: load from its
		// directory, outside the workspace, so that this works outside it
		// too.
		cfg := &packages.Config{
			Mode: packages.NeedName | packages.NeedTypes,
			Dir:  filepath.Join(root, "runtime"),
			Env:  append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=readonly"),
			Fset: token.NewFileSet(),
		}
		pkgs, err := packages.Load(cfg, append(patterns, "./...")...)
		if err != nil {
			u.err = err
			return
		}
		var errs []string
		var add func(p *types.Package)
		add = func(p *types.Package) {
			if u.pkgs[p.Path()] == nil {
				u.pkgs[p.Path()] = p
				for _, imp := range p.Imports() {
					add(imp)
				}
			}
		}
		for _, p := range pkgs {
			for _, e := range p.Errors {
				errs = append(errs, e.Error())
			}
			if p.Types != nil {
				add(p.Types)
			}
		}
		if len(errs) > 0 {
			u.err = fmt.Errorf("loading the universe: %s", strings.Join(errs, "\n"))
			return
		}
		u.fset = cfg.Fset
		u.fset.Iterate(func(tf *token.File) bool {
			u.files = append(u.files, tf)
			return true
		})
	})
	if theUniverse.err != nil {
		f.Fatal(theUniverse.err)
	}
	return theUniverse
}

// seedFiles returns the analyzers' testdata Go files and goldens.
func seedFiles(t testing.TB, root string) []string {
	t.Helper()
	var srcs []string
	matches, _ := filepath.Glob(filepath.Join(root, "analyzers", "*", "testdata", "src"))
	for _, dir := range matches {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".go.golden") {
				return err
			}
			data, err := os.ReadFile(path)
			srcs = append(srcs, string(data))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return srcs
}

// fuzzSeeds returns the seed files that type-check on their own against u.
func fuzzSeeds(f *testing.F, u *universe) []string {
	f.Helper()
	var seeds []string
	all := seedFiles(f, e2e.RepoRoot(f))
	for _, src := range all {
		if _, _, _, _, err := u.check(src); err == nil {
			seeds = append(seeds, src)
		}
	}
	// Fewer would mean the universe or the testdata changed shape, and
	// the fuzzer would start from nearly nothing.
	if len(seeds) < 40 {
		f.Fatalf("only %d of %d testdata files type-check on their own", len(seeds), len(all))
	}
	return seeds
}

// check parses and type-checks src as the one file of a package.
func (u *universe) check(src string) (*token.FileSet, *ast.File, *types.Package, *types.Info, error) {
	fset := u.newFileSet()
	file, err := parser.ParseFile(fset, "fuzz.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		Instances:    make(map[*ast.Ident]types.Instance),
		FileVersions: make(map[*ast.File]string),
	}
	cfg := &types.Config{
		Importer:  importerFunc(func(path string) (*types.Package, error) { return u.lookup(path) }),
		GoVersion: "go1.26",
		Sizes:     types.SizesFor("gc", "amd64"),
	}
	path := "example.com/fuzz/" + file.Name.Name
	pkg, err := cfg.Check(path, fset, []*ast.File{file}, info)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return fset, file, pkg, info, nil
}

// newFileSet returns a file set that holds the universe's files, so that
// positions of imported objects resolve, and room for one more.
func (u *universe) newFileSet() *token.FileSet {
	fset := token.NewFileSet()
	fset.AddExistingFiles(u.files...)
	return fset
}

func (u *universe) lookup(path string) (*types.Package, error) {
	if p := u.pkgs[path]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("%s is not in the fuzz universe", path)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// A diag is a diagnostic of one analyzer.
type diag struct {
	analyzer string
	analysis.Diagnostic
}

// analyze runs p's analyzers on the one-file package, as a driver would
// for a root package: required analyzers first, facts of imported
// packages from the universe's actions.
func (u *universe) analyze(t *testing.T, p profile, src string) ([]diag, *token.FileSet, *ast.File) {
	t.Helper()
	fset, file, pkg, info, err := u.check(src)
	if err != nil {
		t.Fatalf("%s: does not type-check: %v", p.name, err)
	}
	tf := fset.File(file.FileStart)
	results := make(map[*analysis.Analyzer]any)
	objFacts := make(map[objFactKey]analysis.Fact)
	pkgFacts := make(map[reflect.Type]analysis.Fact)
	var diags []diag
	var run func(a *analysis.Analyzer)
	run = func(a *analysis.Analyzer) {
		if _, done := results[a]; done {
			return
		}
		inputs := make(map[*analysis.Analyzer]any)
		for _, req := range a.Requires {
			run(req)
			inputs[req] = results[req]
		}
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       fset,
			Files:      []*ast.File{file},
			Pkg:        pkg,
			TypesInfo:  info,
			TypesSizes: types.SizesFor("gc", "amd64"),
			Module:     &analysis.Module{Path: "example.com/fuzz", GoVersion: "1.26"},
			ResultOf:   inputs,
			Report:     func(d analysis.Diagnostic) { diags = append(diags, diag{a.Name, d}) },
			ReadFile: func(name string) ([]byte, error) {
				if name == tf.Name() {
					return []byte(src), nil
				}
				return nil, fmt.Errorf("%s is not the file analysed", name)
			},
			ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
				if obj == nil || obj.Pkg() == nil {
					return false
				}
				// Facts of imported packages are not computed (see universe).
				return obj.Pkg() == pkg && copyFact(objFacts[objFactKey{obj, reflect.TypeOf(fact)}], fact)
			},
			ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
				if obj.Pkg() != pkg {
					t.Fatalf("%s: %s exports a fact on %v, which is not of the package analysed", p.name, a.Name, obj)
				}
				objFacts[objFactKey{obj, reflect.TypeOf(fact)}] = fact
			},
			ImportPackageFact: func(p2 *types.Package, fact analysis.Fact) bool {
				return p2 == pkg && copyFact(pkgFacts[reflect.TypeOf(fact)], fact)
			},
			ExportPackageFact: func(fact analysis.Fact) { pkgFacts[reflect.TypeOf(fact)] = fact },
			AllObjectFacts: func() []analysis.ObjectFact {
				var all []analysis.ObjectFact
				for k, f := range objFacts {
					all = append(all, analysis.ObjectFact{Object: k.obj, Fact: f})
				}
				return all
			},
			AllPackageFacts: func() []analysis.PackageFact {
				var all []analysis.PackageFact
				for _, f := range pkgFacts {
					all = append(all, analysis.PackageFact{Package: pkg, Fact: f})
				}
				return all
			},
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s: %s panicked: %v\n%s", p.name, a.Name, r, debug.Stack())
				}
			}()
			res, err := a.Run(pass)
			if err != nil {
				t.Fatalf("%s: %s failed: %v", p.name, a.Name, err)
			}
			results[a] = res
		}()
	}
	for _, a := range p.analyzers {
		run(a)
	}
	slices.SortStableFunc(diags, func(a, b diag) int {
		return cmp.Or(cmp.Compare(a.Pos, b.Pos), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Message, b.Message))
	})
	return diags, fset, file
}

type objFactKey struct {
	obj types.Object
	typ reflect.Type
}

// copyFact copies the fact found into ptr, as the drivers do.
func copyFact(found, ptr analysis.Fact) bool {
	if found == nil {
		return false
	}
	reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(found).Elem())
	return true
}

// An edit replaces bytes [start, end) of the file with text.
type edit struct {
	start, end int
	text       string
}

// maxRounds bounds the rounds: a fix left out for a conflict is retried
// in the next, and a fix may make another finding (untracked's task.Go
// makes no-shutdown's).
const maxRounds = 10

// checkFixes applies the fixes of p's analyzers to src round after round
// and checks each round's result (see FuzzFixes).
func checkFixes(t *testing.T, u *universe, p profile, src string) {
	if _, _, _, _, err := u.check(src); err != nil {
		return // not an input: only code that type-checks is analysed
	}
	for round := 1; ; round++ {
		diags, fset, file := u.analyze(t, p, src)
		var offered []diag
		for _, d := range diags {
			if len(d.SuggestedFixes) > 0 {
				offered = append(offered, d)
			}
		}
		if len(offered) == 0 {
			return // a fixed point
		}
		if round > maxRounds {
			t.Fatalf("%s: fixes still offered after %d rounds:\n%s\n--- source:\n%s", p.name, maxRounds, describe(fset, offered), src)
		}
		tf := fset.File(file.FileStart)
		var taken []edit
		for _, d := range offered {
			edits := fixEdits(t, p, fset, tf, d)
			checkAlone(t, u, p, fset, src, diags, d, edits)
			if merged, ok := merge(taken, edits); ok {
				taken = merged
			} // else it conflicts with a fix taken: left for the next round
		}
		next, err := finish(u, src, applyEdits([]byte(src), taken))
		if err != nil {
			t.Fatalf("%s: round %d: %v\n--- fixes:\n%s\n--- source:\n%s", p.name, round, err, describe(fset, offered), src)
		}
		src = string(next)
	}
}

// fixEdits returns the edits of d's fix as offsets, checking that they
// are well-formed: one fix per finding, edits in the file analysed, not
// backwards, not overlapping each other.
func fixEdits(t *testing.T, p profile, fset *token.FileSet, tf *token.File, d diag) []edit {
	t.Helper()
	if len(d.SuggestedFixes) > 1 {
		// go vet -fix applies only the first; golangci-lint applies all.
		t.Fatalf("%s: %s: %d fixes for one finding, at most one is allowed", p.name, fset.Position(d.Pos), len(d.SuggestedFixes))
	}
	fix := d.SuggestedFixes[0]
	var edits []edit
	for _, e := range fix.TextEdits {
		end := cmp.Or(e.End, e.Pos)
		if fset.File(e.Pos) != tf || fset.File(end) != tf || end < e.Pos {
			t.Fatalf("%s: %s: fix %q edits outside the file analysed or backwards (%v..%v)", p.name, fset.Position(d.Pos), fix.Message, e.Pos, end)
		}
		edits = append(edits, edit{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)})
	}
	for i, a := range edits {
		for _, b := range edits[:i] {
			// Two insertions at one offset are not a conflict within one
			// fix: drivers apply a fix's edits in a stable order (x/tools'
			// ValidateFix allows them too); across fixes they are.
			sameInsert := a.start == a.end && b.start == b.end && a.start == b.start
			if a != b && !sameInsert && overlap(a, b) {
				t.Fatalf("%s: %s: fix %q has overlapping edits %v and %v", p.name, fset.Position(d.Pos), fix.Message, a, b)
			}
		}
	}
	return edits
}

// checkAlone applies the fix of d alone to src and checks that the result
// type-checks and has fewer findings like d (same rule, same message): a
// fix removes its own finding, so that a second -fix does not apply it
// again.
func checkAlone(t *testing.T, u *universe, p profile, fset *token.FileSet, src string, diags []diag, d diag, edits []edit) {
	t.Helper()
	like := func(ds []diag) int {
		n := 0
		for _, x := range ds {
			if x.Category == d.Category && x.Message == d.Message {
				n++
			}
		}
		return n
	}
	fixed, err := finish(u, src, applyEdits([]byte(src), edits))
	if err != nil {
		t.Fatalf("%s: the fix of one finding alone: %v\n--- fix:\n%s\n--- source:\n%s", p.name, err, describe(fset, []diag{d}), src)
	}
	// Only d's analyzer can report findings like d: running it alone keeps
	// an input with many fixes within the fuzzer's time per input.
	alone := profile{name: p.name}
	for _, a := range p.analyzers {
		if a.Name == d.analyzer {
			alone.analyzers = append(alone.analyzers, a)
		}
	}
	after, _, _ := u.analyze(t, alone, string(fixed))
	if like(after) >= like(diags) {
		t.Fatalf("%s: the fix of this finding does not remove it (%d such findings before, %d after):\n%s\n--- source:\n%s\n--- fixed:\n%s",
			p.name, like(diags), like(after), describe(fset, []diag{d}), src, fixed)
	}
}

// merge adds edits to taken as resilvet -fix does: an edit identical to
// one taken coalesces with it; if one overlaps a different edit taken, the
// whole fix is left out (false).
func merge(taken, edits []edit) ([]edit, bool) {
	out := slices.Clone(taken)
	for _, e := range edits {
		if slices.ContainsFunc(taken, func(m edit) bool { return m != e && overlap(m, e) }) {
			return nil, false
		}
		if !slices.Contains(taken, e) {
			out = append(out, e)
		}
	}
	return out, true
}

// overlap reports whether two edits of one file conflict: their ranges
// overlap, one inserts inside the other, or both insert at one offset (the
// order of the texts is unknown).
func overlap(a, b edit) bool {
	switch {
	case a.start < b.end && b.start < a.end:
		return true
	case a.start == a.end && b.start < a.start && a.start < b.end,
		b.start == b.end && a.start < b.start && b.start < a.end:
		return true
	}
	return a.start == a.end && b.start == b.end && a.start == b.start
}

func applyEdits(src []byte, edits []edit) []byte {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b edit) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	var buf bytes.Buffer
	last := 0
	for _, e := range sorted {
		buf.Write(src[last:e.start])
		buf.WriteString(e.text)
		last = e.end
	}
	buf.Write(src[last:])
	return buf.Bytes()
}

// finish does what resilvet -fix does after applying a round's edits:
// the imports the edits made unused are removed and the file is gofmt-ed.
// The result must parse and type-check. An import is taken as made unused
// by the edits if it was in the file before them (the file type-checked,
// so it was used) and the type checker now calls it unused; an import a
// fix added and did not use is the fix's error.
func finish(u *universe, before string, after []byte) ([]byte, error) {
	fset := u.newFileSet()
	file, err := parser.ParseFile(fset, "fuzz.go", after, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("the fixed file does not parse: %w\n--- fixed:\n%s", err, after)
	}
	had := make(map[string]bool)
	if old, err := parser.ParseFile(token.NewFileSet(), "", before, parser.ImportsOnly); err == nil {
		for _, spec := range old.Imports {
			had[spec.Path.Value] = true
		}
	}
	var unused []*ast.ImportSpec
	failed := false
	cfg := &types.Config{
		Importer:  importerFunc(u.lookup),
		GoVersion: "go1.26",
		Error: func(err error) {
			failed = true
			var te types.Error
			if errors.As(err, &te) && strings.Contains(te.Msg, "imported") && strings.Contains(te.Msg, "not used") {
				for _, spec := range file.Imports {
					if had[spec.Path.Value] && spec.Pos() <= te.Pos && te.Pos < spec.End() {
						unused = append(unused, spec)
					}
				}
			}
		},
	}
	_, _ = cfg.Check("example.com/fuzz/"+file.Name.Name, fset, []*ast.File{file}, nil)
	for _, spec := range unused {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		}
		astutil.DeleteNamedImport(fset, file, name, path)
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, file); err != nil {
		return nil, fmt.Errorf("formatting the fixed file: %w", err)
	}
	if failed {
		if _, _, _, _, err := u.check(buf.String()); err != nil {
			return nil, fmt.Errorf("the fixed file does not type-check: %w\n--- fixed:\n%s", err, buf.String())
		}
	}
	return buf.Bytes(), nil
}

// describe lists diagnostics and their first fixes' edits.
func describe(fset *token.FileSet, diags []diag) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %s (%s)\n", fset.Position(d.Pos), d.Message, d.Category)
		fix := d.SuggestedFixes[0]
		fmt.Fprintf(&b, "\tfix %q:\n", fix.Message)
		for _, e := range fix.TextEdits {
			fmt.Fprintf(&b, "\t\t%s–%s: %q\n", fset.Position(e.Pos), fset.Position(cmp.Or(e.End, e.Pos)), e.NewText)
		}
	}
	return b.String()
}
