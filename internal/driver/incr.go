package driver

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	goruntime "runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/nav"
)

// The incremental driver analyses one package at a time, in dependency
// order, as go vet's unitchecker does: the go command lists the packages
// and compiles them (go list -export), each package the analyzers need is
// parsed and type-checked from source against its imports' export data,
// its passes run, and what they produced is kept as bytes — the facts its
// dependents need, and for a root package its findings — while its syntax
// and types are dropped. Peak memory then follows the largest packages
// being analysed at once, not the import graph. Each package's result is
// stored in the result cache (cache.go) under a key of everything it
// depends on, so that a later run neither parses nor type-checks a package
// whose key has not changed.
//
// Anything out of the ordinary — a package with errors, an analyzer that
// fails, a package the go command could not compile — makes the run fall
// back to the whole-graph driver (analyzeLoaded), whose diagnosis of
// broken code the user already knows; the cache is for the common case.

// listMode is what the incremental driver needs of go list: files,
// imports and export data, no syntax and no types.
const listMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
	packages.NeedDeps | packages.NeedExportFile | packages.NeedModule | packages.NeedTypesSizes

// errFallback says that the incremental driver cannot analyse these
// packages and the whole-graph driver must.
var errFallback = errors.New("fall back to the whole-graph driver")

// cacheKeyVersion changes whenever what a key covers or an entry holds
// changes meaning.
const cacheKeyVersion = "resilvet incremental v3"

type incrRun struct {
	o       *options
	cache   *resultCache // nil: -cache=off
	fset    *token.FileSet
	shared  *universe
	runKey  []byte // what every key shares: the binary, Go, the analyzers' configuration
	rootSet []*analysis.Analyzer
	depSet  []*analysis.Analyzer // what runs on dependencies: the fact analyzers and what they require
	byName  map[string]*analysis.Analyzer
	sem     chan struct{}
	failed  atomic.Bool

	positions positioner

	analysed, cached atomic.Int64
}

// A node is one package of the graph.
type node struct {
	pkg  *packages.Package
	root bool
	deps []*node // its imports, by import path
	done chan struct{}

	err         error
	own         [32]byte // of its own files and identity (ownHash)
	srcKey      [32]byte // of its result, by its and its imports' sources (sourceKeys)
	srcEntry    *entry   // what the cache holds under srcKey, if anything: decoded for a root
	srcData     []byte   // and for a dependency, whose facts a run where everything is cached does not need
	key         [32]byte // of its result, by its sources and its imports' export data
	outHash     [32]byte // what its dependents see of it: export data and facts, its own and below
	facts       []byte   // encoded factRecords
	result      *pkgResult
	fresh       bool // analysed in this run (else read from the cache)
	readIgnored bool // a pass read an ignored file: the result is not stored
}

// An entry is what the cache holds for a package.
type entry struct {
	Facts     []byte
	FactsHash [32]byte
	Result    *pkgResult // nil for a dependency

	// Export is the package's export file in the go command's cache when
	// the entry was stored ("" if nothing imported it then); see
	// storedExports.
	Export string

	// readIgnored says that a pass read a file the build ignores, whose
	// content the keys do not cover (ownHash): the entry is not stored.
	readIgnored bool
}

// analyzeIncremental lists patterns and analyses them one package at a
// time, reusing the results of the cache. It returns errFallback when the
// whole-graph driver must do the work.
//
// It lists the graph first without export data and looks each package up
// under its source key (sourceKeys), which needs no export data: when
// every package is found, the run is over after one go list, as a rerun
// of go vet is. Otherwise the imports' export data is listed too and each
// package is looked up under its export key (key), which stays the same
// when an import's source changes in a way its importers cannot see.
func analyzeIncremental(o *options, patterns []string, c *resultCache) (*outcome, error) {
	lc := loadConfig{tags: o.tags}
	for _, a := range o.analyzers {
		lc.tests = lc.tests || lint.ConfigOf(a).Tests
	}
	o.progress.phase("loading packages")
	pkgs, err := listGraph(patterns, lc)
	lists := 1
	o.progress.finish()
	if err != nil {
		return nil, err
	}
	roots, err := incrRoots(pkgs, false)
	if err != nil {
		return nil, err
	}
	r, err := newIncrRun(o, c)
	if err != nil {
		return nil, err
	}
	nodes := r.graph(roots)
	o.progress.analysing(roots, o.analyzers)
	if r.cache != nil && len(r.depSet) > 0 {
		if err := r.sourceKeys(nodes); err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(nodes, func(n *node) bool { return n.srcEntry == nil && n.srcData == nil }) {
			for _, n := range nodes {
				if n.srcEntry != nil {
					n.facts, n.result = n.srcEntry.Facts, n.srcEntry.Result
				}
				if n.pkg.PkgPath != "unsafe" { // as compute counts
					r.cached.Add(1)
					r.o.progress.skipped()
				}
			}
			o.progress.finish()
			return r.complete(roots, nodes, lists), nil
		}
	}
	listed, relisted := pkgs, false
	if !r.storedExports(nodes) {
		o.progress.phase("loading export data")
		var n int
		listed, relisted, n, err = addExport(pkgs, patterns, lc)
		lists += n
		o.progress.finish()
		if err != nil {
			return nil, err
		}
	}
	if relisted {
		// Other packages: what was hashed of the first listing is not
		// theirs.
		if roots, err = incrRoots(listed, true); err != nil {
			return nil, err
		}
		nodes = r.graph(roots)
		if r.cache != nil && len(r.depSet) > 0 {
			if err := r.sourceKeys(nodes); err != nil {
				return nil, err
			}
		}
	} else if _, err := incrRoots(listed, true); err != nil {
		return nil, err
	}

	o.progress.analysing(roots, o.analyzers)
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Go(func() { r.process(n) })
	}
	wg.Wait()
	o.progress.finish()
	if r.failed.Load() {
		for _, n := range nodes {
			if n.err != nil {
				return nil, fmt.Errorf("%w: %s: %w", errFallback, n.pkg.ID, n.err)
			}
		}
	}
	return r.complete(roots, nodes, lists), nil
}

// storedExports gives every package that a node imports the export file
// its cache entry recorded, and reports whether it could: when each such
// package is found by its source key (sourceKeys) with an export file that
// still exists, the packages to analyse are ones that nothing imports —
// the edited leaf of the add-a-line, run-again loop — and the run needs no
// go list -export. The file is the one the go command wrote for those
// sources: an output of its cache is named by the hash of its content
// (cmd/go/internal/cache), so a file of that name holds that export data
// for as long as it exists. The go command removes an output it has not
// used for five days (go clean -cache at once); the run then lists the
// export data again.
func (r *incrRun) storedExports(nodes []*node) bool {
	if r.cache == nil || len(r.depSet) == 0 {
		return false // no source keys, nothing looked up by them
	}
	files := make(map[*node]string)
	for _, n := range nodes {
		for _, d := range n.deps {
			if _, ok := files[d]; ok || !needsExport(d.pkg) {
				continue
			}
			e := d.decodeSrc()
			if e == nil || !isCacheOutput(e.Export) {
				return false
			}
			files[d] = e.Export
		}
	}
	for d, name := range files {
		d.pkg.ExportFile = name
	}
	return true
}

// decodeSrc returns what the cache holds for n under its source key,
// decoding a dependency's entry (srcData) on first use; nil if nothing.
func (n *node) decodeSrc() *entry {
	if n.srcEntry == nil && n.srcData != nil {
		var se entry
		if gob.NewDecoder(bytes.NewReader(n.srcData)).Decode(&se) == nil && se.Result == nil {
			n.srcEntry = &se
		}
		n.srcData = nil // decoded, or not an entry for a dependency
	}
	return n.srcEntry
}

// isCacheOutput reports whether name is an output file of the go
// command's cache, named by the hash of its content, and still there.
func isCacheOutput(name string) bool {
	base := filepath.Base(name)
	hexPart, ok := strings.CutSuffix(base, "-d")
	if !ok || len(hexPart) != 2*sha256.Size || strings.Trim(hexPart, "0123456789abcdef") != "" || filepath.Base(filepath.Dir(name)) != hexPart[:2] {
		return false
	}
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

// incrRoots returns the packages of pkgs the incremental driver reports on,
// or errFallback if some package of the graph has errors or, when
// exported, if an import that needs export data has none.
func incrRoots(pkgs []*packages.Package, exported bool) ([]*packages.Package, error) {
	var roots []*packages.Package
	for _, p := range pkgs {
		if !strings.HasSuffix(p.ID, ".test") {
			roots = append(roots, p)
		}
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("%w: no packages", errFallback) // the whole-graph driver says why
	}
	var bad error
	packages.Visit(roots, nil, func(p *packages.Package) {
		if bad == nil && (len(p.Errors) > 0 || p.Module != nil && p.Module.Error != nil) {
			bad = fmt.Errorf("%w: %s has errors", errFallback, p.ID)
		}
		for _, imp := range p.Imports {
			if bad == nil && exported && needsExport(imp) && imp.ExportFile == "" {
				bad = fmt.Errorf("%w: %s has no export data", errFallback, imp.ID)
			}
		}
	})
	return roots, bad
}

// complete makes the outcome of a run whose nodes all have their results.
func (r *incrRun) complete(roots []*packages.Package, nodes []*node, lists int) *outcome {
	out := &outcome{roots: roots, analysed: int(r.analysed.Load()), fromCache: int(r.cached.Load()), lists: lists}
	r.finish(out, nodes)
	if os.Getenv("RESILVET_DEBUG") == "cache" {
		fmt.Fprintf(os.Stderr, "resilvet: cache: %d packages analysed, %d from the cache, %d go list runs\n", out.analysed, out.fromCache, lists)
	}
	if r.cache != nil {
		r.cache.trim()
	}
	return out
}

// analyzeCheck analyses patterns for a run that reports (not -fix): one
// package at a time with the result cache, unless the packages need the
// whole-graph driver.
func analyzeCheck(o *options, patterns []string) (*outcome, error) {
	dir, err := cacheDir(o.cache)
	if err != nil {
		return nil, err
	}
	var c *resultCache
	if dir != "" {
		if c, err = openCache(dir); err != nil {
			return nil, fmt.Errorf("opening the cache: %w", err)
		}
	}
	out, err := analyzeIncremental(o, patterns, c)
	if errors.Is(err, errFallback) {
		if os.Getenv("RESILVET_DEBUG") == "cache" {
			fmt.Fprintf(os.Stderr, "resilvet: cache: %v\n", err)
		}
		for _, u := range o.uses {
			u.Reset() // the whole-graph driver records them again
		}
		return analyze(o, patterns, loadConfig{})
	}
	return out, err
}

// listPackages runs go list on patterns, with export data for the
// packages that some listed package imports (listGraph, then addExport).
func listPackages(patterns []string, lc loadConfig) ([]*packages.Package, error) {
	pkgs, err := listGraph(patterns, lc)
	if err != nil {
		return nil, err
	}
	pkgs, _, _, err = addExport(pkgs, patterns, lc)
	return pkgs, err
}

// listGraph runs go list on patterns without export data: the packages,
// their files and their imports.
func listGraph(patterns []string, lc loadConfig) ([]*packages.Package, error) {
	pkgs, err := packages.Load(&packages.Config{Mode: listMode &^ packages.NeedExportFile, Tests: lc.tests, BuildFlags: lc.buildFlags()}, patterns...)
	if err != nil {
		return nil, cleanLoadError(err)
	}
	return pkgs, nil
}

func (lc loadConfig) buildFlags() []string {
	if lc.tags != "" {
		return []string{"-tags=" + lc.tags}
	}
	return nil
}

// addExport gives the imports in pkgs, the listing of patterns by
// listGraph, their export data. It returns pkgs so completed, or when it
// had to list the patterns again, that listing (relisted); and how many
// go list runs it made.
//
// Only imports need export data: a root that nothing imports is analysed
// from source. go list -export would compile it all the same, and after
// an edit of that root, compiling it is most of the run — 30 s and 1.2 GB
// for go-redis's root package, against about a second to analyse it from
// source. So without tests the imported packages are listed with -export
// by path. With tests, the test variants' IDs cannot be named to go list,
// and one go list -export lists them all. So does a run where naming the
// imports fails: the go command takes a package named on its command line
// for a direct import of the main module, and refuses one whose module
// go.mod does not list ("updates to go.mod needed"), which an untidy
// go.mod can cause; or where an import does not compile, which the one go
// list then reports as a run without the split would.
func addExport(pkgs []*packages.Package, patterns []string, lc loadConfig) (_ []*packages.Package, relisted bool, lists int, _ error) {
	all := func() ([]*packages.Package, bool, int, error) {
		listed, err := packages.Load(&packages.Config{Mode: listMode, Tests: lc.tests, BuildFlags: lc.buildFlags()}, patterns...)
		if err != nil {
			return nil, true, lists + 1, cleanLoadError(err)
		}
		return listed, true, lists + 1, nil
	}
	if lc.tests {
		return all()
	}
	imported := make(map[string]*packages.Package)
	var paths []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, imp := range p.Imports {
			if _, ok := imported[imp.ID]; !ok && needsExport(imp) {
				imported[imp.ID] = imp
				paths = append(paths, imp.ID)
			}
		}
	})
	if len(paths) == 0 {
		return pkgs, false, 0, nil
	}
	sort.Strings(paths)
	// Without NeedImports, go list -deps=false: the packages named, each
	// with its export file (and errors, if it does not compile).
	lists++
	exported, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedExportFile, BuildFlags: lc.buildFlags()}, paths...)
	if err != nil {
		return all()
	}
	export := make(map[string]string, len(exported))
	for _, e := range exported {
		if len(e.Errors) == 0 {
			export[e.ID] = e.ExportFile
		}
	}
	for id := range imported {
		if export[id] == "" {
			return all()
		}
	}
	for id, p := range imported {
		p.ExportFile = export[id]
	}
	return pkgs, false, lists, nil
}

// needsExport reports whether an importer of p reads export data for it:
// unsafe has none, and a package without compiled files (test files only)
// cannot be imported.
func needsExport(p *packages.Package) bool {
	return p.PkgPath != "unsafe" && len(p.CompiledGoFiles) > 0
}

func newIncrRun(o *options, c *resultCache) (*incrRun, error) {
	r := &incrRun{
		o:      o,
		cache:  c,
		fset:   token.NewFileSet(),
		byName: make(map[string]*analysis.Analyzer),
		sem:    make(chan struct{}, goruntime.GOMAXPROCS(0)),
	}
	r.shared = newUniverse(r)
	r.positions.run = r
	r.rootSet = requiresClosure(o.analyzers)
	var factful []*analysis.Analyzer
	for _, a := range r.rootSet {
		if len(a.FactTypes) > 0 {
			factful = append(factful, a)
		}
	}
	r.depSet = requiresClosure(factful)
	for _, a := range r.rootSet {
		r.byName[a.Name] = a
	}
	registerFactTypes(r.rootSet)

	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	id, err := buildID(exe)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s/%s\x00tags=%s\x00", cacheKeyVersion, id, goruntime.Version(), goruntime.GOOS, goruntime.GOARCH, o.tags)
	for _, a := range r.rootSet {
		fmt.Fprintf(h, "analyzer %s root=%v dep=%v\x00", a.Name, slices.Contains(o.analyzers, a), slices.Contains(r.depSet, a))
		a.Flags.VisitAll(func(f *flag.Flag) { fmt.Fprintf(h, "-%s=%s\x00", f.Name, f.Value) })
	}
	r.runKey = h.Sum(nil)
	return r, nil
}

// requiresClosure returns analyzers and what they require, requirements
// first.
func requiresClosure(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		out = append(out, a)
	}
	for _, a := range analyzers {
		visit(a)
	}
	return out
}

// graph returns the nodes to process: the roots and, when some analyzer
// uses facts, every package below them.
func (r *incrRun) graph(roots []*packages.Package) []*node {
	nodes := make(map[*packages.Package]*node)
	var order []*node
	var visit func(p *packages.Package) *node
	visit = func(p *packages.Package) *node {
		if n, ok := nodes[p]; ok {
			return n
		}
		n := &node{pkg: p, done: make(chan struct{})}
		nodes[p] = n
		if len(r.depSet) > 0 {
			for _, path := range sortedKeys(p.Imports) {
				n.deps = append(n.deps, visit(p.Imports[path]))
			}
		}
		order = append(order, n)
		return n
	}
	for _, p := range roots {
		visit(p).root = true
	}
	return order
}

// process computes n's result once its dependencies have theirs.
func (r *incrRun) process(n *node) {
	defer close(n.done)
	for _, d := range n.deps {
		<-d.done
	}
	if r.failed.Load() {
		return
	}
	r.sem <- struct{}{}
	defer func() { <-r.sem }()
	if err := r.compute(n); err != nil {
		n.err = err
		r.failed.Store(true)
	}
}

func (r *incrRun) compute(n *node) error {
	if n.pkg.PkgPath == "unsafe" {
		n.outHash = sha256.Sum256([]byte("unsafe"))
		if n.root {
			n.result = new(pkgResult) // named (std names it): nothing to analyse, nothing to report
		}
		return nil
	}
	key, err := r.key(n)
	if err != nil {
		return err
	}
	n.key = key
	var e entry
	hit := false
	n.decodeSrc()
	switch {
	case n.srcEntry != nil:
		e, hit = *n.srcEntry, true
		if r.cache != nil && n.pkg.ExportFile != "" && e.Export != n.pkg.ExportFile {
			// Listed with export data that the entry does not record (gone
			// from the go command's cache, or not imported when stored):
			// recorded for the next run (storedExports).
			e.Export = n.pkg.ExportFile
			r.put(e, n.srcKey)
		}
	case r.cache != nil:
		hit = r.get(key, n.root, &e)
		if hit && !n.root && n.srcKey != ([32]byte{}) {
			e.Export = n.pkg.ExportFile // what these sources compile to
			r.put(e, n.srcKey)          // a source change its importers cannot see: the next run finds it at once
		}
	}
	if hit {
		r.cached.Add(1)
		r.o.progress.skipped()
	} else {
		e, err = r.analyse(n)
		if err != nil {
			return err
		}
		n.fresh = true
		r.analysed.Add(1)
		n.readIgnored = e.readIgnored
		e.Export = n.pkg.ExportFile
		if r.cache != nil && !n.root && !e.readIgnored {
			r.put(e, key, n.srcKey) // a root's entry waits for the directives used (see finish)
		}
	}
	n.facts, n.result = e.Facts, e.Result
	exportHash, err := exportHash(n.pkg.ExportFile)
	if err != nil {
		return err
	}
	h := sha256.New()
	h.Write(exportHash[:])
	h.Write(e.FactsHash[:])
	for _, d := range n.deps {
		h.Write(d.outHash[:])
	}
	h.Sum(n.outHash[:0])
	return nil
}

// get reads the entry under key into e, reporting whether there is one
// for a root (root) or for a dependency.
func (r *incrRun) get(key [32]byte, root bool, e *entry) bool {
	data, ok := r.cache.get(key)
	return ok && gob.NewDecoder(bytes.NewReader(data)).Decode(e) == nil && (e.Result != nil) == root
}

// put stores e under each of keys but the zero one (a package without a
// source key), encoding it once.
func (r *incrRun) put(e entry, keys ...[32]byte) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(e); err != nil {
		return
	}
	for _, key := range keys {
		if key != ([32]byte{}) {
			r.cache.put(key, buf.Bytes())
		}
	}
}

// ownHash hashes what n's result depends on of n itself: whether it is a
// root, its identity, its module, the sizes of its types, and its files'
// names and contents.
func (r *incrRun) ownHash(n *node) ([32]byte, error) {
	p := n.pkg
	h := sha256.New()
	fmt.Fprintf(h, "root=%v\x00id=%s\x00path=%s\x00name=%s\x00sizes=%#v\x00", n.root, p.ID, p.PkgPath, p.Name, p.TypesSizes)
	if m := p.Module; m != nil {
		fmt.Fprintf(h, "module=%s@%s go%s main=%v dir=%s\x00", m.Path, m.Version, m.GoVersion, m.Main, m.Dir)
	}
	// Each file's content is read once (GoFiles and CompiledGoFiles are
	// mostly the same files); ignored files, which outnumber the others
	// in std (the other platforms' files), count by name: a pass that
	// reads one keeps its package's result out of the cache (analyse).
	sums := make(map[string][32]byte)
	for _, list := range [][]string{p.GoFiles, p.CompiledGoFiles, p.OtherFiles} {
		fmt.Fprintf(h, "files %d\x00", len(list))
		for _, name := range list {
			sum, ok := sums[name]
			if !ok {
				var err error
				if sum, err = contentHash(name); err != nil {
					return [32]byte{}, err
				}
				sums[name] = sum
			}
			fmt.Fprintf(h, "%s %x\x00", name, sum)
		}
	}
	fmt.Fprintf(h, "ignored %q\x00", p.IgnoredFiles)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

// sourceKeys computes every node's source key, and reads what the cache
// holds under it. A source key hashes the run's key, the node's ownHash
// and its imports' source keys: everything its result depends on, by
// source — the types of an import follow from its source and its own
// imports' — so it can be computed before the go command has compiled
// anything. It changes with any change below the node, even one that
// leaves what the node sees of its imports the same; key is the finer key
// for that case. It needs every package below a root as a node, as runs
// with a fact analyzer have.
func (r *incrRun) sourceKeys(nodes []*node) error {
	var (
		wg    sync.WaitGroup
		first atomic.Pointer[error]
	)
	work := make(chan *node)
	for range cap(r.sem) {
		wg.Go(func() {
			for n := range work {
				var err error
				if n.own, err = r.ownHash(n); err != nil {
					first.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	for _, n := range nodes {
		work <- n
	}
	close(work)
	wg.Wait()
	if err := first.Load(); err != nil {
		return *err
	}
	// nodes are in dependency order: a node's imports come before it.
	for _, n := range nodes {
		n.srcEntry, n.srcData = nil, nil
		if n.pkg.PkgPath == "unsafe" {
			n.srcKey = sha256.Sum256([]byte("unsafe"))
			e := entry{}
			if n.root {
				e.Result = new(pkgResult)
			}
			n.srcEntry = &e
			continue
		}
		byPkg := make(map[*packages.Package]*node, len(n.deps))
		for _, d := range n.deps {
			byPkg[d.pkg] = d
		}
		h := sha256.New()
		h.Write(r.runKey)
		h.Write([]byte("source\x00"))
		h.Write(n.own[:])
		for _, path := range sortedKeys(n.pkg.Imports) {
			dep := n.pkg.Imports[path]
			fmt.Fprintf(h, "import %s=%s\x00", path, dep.ID)
			h.Write(byPkg[dep].srcKey[:])
		}
		h.Sum(n.srcKey[:0])
	}
	for _, n := range nodes {
		if n.srcEntry == nil {
			wg.Go(func() {
				r.sem <- struct{}{}
				defer func() { <-r.sem }()
				if !n.root {
					n.srcData, _ = r.cache.get(n.srcKey)
					return
				}
				var e entry
				if r.get(n.srcKey, n.root, &e) {
					n.srcEntry = &e
				}
			})
		}
	}
	wg.Wait()
	return nil
}

// key hashes everything n's result depends on: the run's key, n's
// ownHash, and for each import the hash of what that import shows it
// (outHash).
func (r *incrRun) key(n *node) ([32]byte, error) {
	p := n.pkg
	if n.own == ([32]byte{}) {
		var err error
		if n.own, err = r.ownHash(n); err != nil {
			return [32]byte{}, err
		}
	}
	h := sha256.New()
	h.Write(r.runKey)
	h.Write([]byte("export\x00"))
	h.Write(n.own[:])
	byPkg := make(map[*packages.Package]*node, len(n.deps))
	for _, d := range n.deps {
		byPkg[d.pkg] = d
	}
	for _, path := range sortedKeys(p.Imports) {
		dep := p.Imports[path]
		fmt.Fprintf(h, "import %s=%s\x00", path, dep.ID)
		if d, ok := byPkg[dep]; ok {
			h.Write(d.outHash[:])
		} else if dep.ExportFile != "" {
			// No fact analyzer runs: an import matters by its types alone.
			eh, err := exportHash(dep.ExportFile)
			if err != nil {
				return [32]byte{}, err
			}
			h.Write(eh[:])
		}
	}
	var key [32]byte
	h.Sum(key[:0])
	return key, nil
}

// contentHash hashes the content of the file name.
func contentHash(name string) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(name)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// exportHash hashes the export data in the go command's output for a
// package: the types its importers see, and not the object code around it,
// whose build ID changes with every edit of the source.
func exportHash(name string) ([32]byte, error) {
	var sum [32]byte
	if name == "" {
		return sum, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f) //nolint:staticcheck // go list -export's files are compiler archives, which Read rejects; x/tools v0.52.0 has no other reader for them
	if err != nil {
		return sum, fmt.Errorf("reading export data %s: %w", name, err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// universeOf returns the universe n's imports are read into.
func (r *incrRun) universeOf(n *node) *universe {
	if strings.Contains(n.pkg.ID, " [") {
		return newUniverse(r) // a test variant, or built for one
	}
	return r.shared
}

// analyse parses and type-checks n and runs the analyzers on it.
func (r *incrRun) analyse(n *node) (entry, error) {
	p := n.pkg
	u := r.universeOf(n)
	files := make([]*ast.File, 0, len(p.CompiledGoFiles))
	for _, name := range p.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			return entry{}, err
		}
		f, err := parser.ParseFile(r.fset, name, src, parser.AllErrors|parser.ParseComments)
		if err != nil {
			return entry{}, fmt.Errorf("%w: %w", errFallback, err)
		}
		files = append(files, f)
	}
	byPkg := make(map[*packages.Package]*node, len(n.deps))
	for _, d := range n.deps {
		byPkg[d.pkg] = d
	}
	importer := importerFunc(func(path string) (*types.Package, error) {
		dep := p.Imports[path]
		if dep == nil {
			return nil, fmt.Errorf("no package for import %q", path)
		}
		d := byPkg[dep]
		if d == nil {
			d = &node{pkg: dep} // no fact analyzer: the node was not made
		}
		return u.importNode(d)
	})
	var typeErr error
	tc := &types.Config{
		Importer: importer,
		Sizes:    p.TypesSizes,
		Error: func(err error) {
			if typeErr == nil {
				typeErr = err
			}
		},
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		tc.GoVersion = "go" + p.Module.GoVersion
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	pkg, _ := tc.Check(p.PkgPath, r.fset, files, info)
	if typeErr != nil {
		return entry{}, fmt.Errorf("%w: %w", errFallback, typeErr)
	}

	analyzers := r.depSet
	if n.root {
		analyzers = r.rootSet
	}
	for _, a := range analyzers {
		if len(a.FactTypes) > 0 {
			if err := u.decodeFacts(n); err != nil {
				return entry{}, err
			}
			break
		}
	}
	deps := make(map[string]bool) // package paths below n, whose facts it may see
	var below func(q *packages.Package)
	below = func(q *packages.Package) {
		for _, d := range q.Imports {
			if !deps[d.PkgPath] {
				deps[d.PkgPath] = true
				below(d)
			}
		}
	}
	below(p)

	module := &analysis.Module{}
	if m := p.Module; m != nil {
		module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
	}
	objFacts := make(map[objectFactKey]analysis.Fact)
	pkgFacts := make(map[packageFactKey]analysis.Fact)
	results := make(map[*analysis.Analyzer]any)
	readIgnored := false
	diags := make(map[*analysis.Analyzer][]analysis.Diagnostic)
	for _, a := range analyzers {
		// Every result the package's passes produced so far, what a
		// requires among them: a pass may use another it finds there
		// instead of computing it again, as fireforget's fact pass uses
		// inspect's inspector on a root (decisions.md, "Incremental runs").
		inputs := maps.Clone(results)
		factTypes := make(map[reflect.Type]bool, len(a.FactTypes))
		for _, f := range a.FactTypes {
			factTypes[reflect.TypeOf(f)] = true
		}
		pass := &analysis.Pass{
			Analyzer:     a,
			Fset:         r.fset,
			Files:        files,
			OtherFiles:   p.OtherFiles,
			IgnoredFiles: p.IgnoredFiles,
			Pkg:          pkg,
			TypesInfo:    info,
			TypesSizes:   p.TypesSizes,
			Module:       module,
			ResultOf:     inputs,
			Report: func(d analysis.Diagnostic) {
				diags[a] = append(diags[a], d)
			},
			ImportObjectFact: func(obj types.Object, ptr analysis.Fact) bool {
				if obj == nil {
					panic("nil object")
				}
				k := objectFactKey{obj, reflect.TypeOf(ptr)}
				v, ok := objFacts[k]
				if !ok && obj.Pkg() != pkg {
					u.mu.RLock()
					v, ok = u.objFacts[k]
					u.mu.RUnlock()
				}
				if ok {
					reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				}
				return ok
			},
			ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
				if obj.Pkg() != pkg {
					panic(fmt.Sprintf("internal error: in analysis %s of package %s: Fact.Set(%s, %T): can't set facts on objects belonging another package", a, pkg.Path(), obj, fact))
				}
				objFacts[objectFactKey{obj, reflect.TypeOf(fact)}] = fact
			},
			ImportPackageFact: func(q *types.Package, ptr analysis.Fact) bool {
				if q == nil {
					panic("nil package")
				}
				k := packageFactKey{q, reflect.TypeOf(ptr)}
				v, ok := pkgFacts[k]
				if !ok && q != pkg {
					u.mu.RLock()
					v, ok = u.pkgFacts[k]
					u.mu.RUnlock()
				}
				if ok {
					reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				}
				return ok
			},
			ExportPackageFact: func(fact analysis.Fact) {
				pkgFacts[packageFactKey{pkg, reflect.TypeOf(fact)}] = fact
			},
			AllObjectFacts: func() []analysis.ObjectFact {
				var out []analysis.ObjectFact
				for k, f := range objFacts {
					if factTypes[k.typ] {
						out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
					}
				}
				u.mu.RLock()
				for k, f := range u.objFacts {
					if factTypes[k.typ] && k.obj.Pkg() != nil && deps[k.obj.Pkg().Path()] {
						out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
					}
				}
				u.mu.RUnlock()
				return out
			},
			AllPackageFacts: func() []analysis.PackageFact {
				var out []analysis.PackageFact
				for k, f := range pkgFacts {
					if factTypes[k.typ] {
						out = append(out, analysis.PackageFact{Package: k.pkg, Fact: f})
					}
				}
				u.mu.RLock()
				for k, f := range u.pkgFacts {
					if factTypes[k.typ] && deps[k.pkg.Path()] {
						out = append(out, analysis.PackageFact{Package: k.pkg, Fact: f})
					}
				}
				u.mu.RUnlock()
				return out
			},
		}
		read := checkedReadFile(pass)
		pass.ReadFile = func(name string) ([]byte, error) {
			if slices.Contains(p.IgnoredFiles, name) {
				readIgnored = true
			}
			return read(name)
		}
		res, err := a.Run(pass)
		if err != nil {
			return entry{}, fmt.Errorf("%w: %s: %w", errFallback, a.Name, err) // the whole-graph driver reports it
		}
		if got, want := reflect.TypeOf(res), a.ResultType; got != want {
			return entry{}, fmt.Errorf("%w: %s returned a %v, not a %v", errFallback, a.Name, got, want)
		}
		results[a] = res
	}

	facts, err := encodeFacts(pkg, objFacts, pkgFacts)
	if err != nil {
		return entry{}, err
	}
	e := entry{Facts: facts, readIgnored: readIgnored}
	if facts != nil {
		e.FactsHash = sha256.Sum256(facts)
	}
	if n.root {
		own := make(map[*token.File]bool, len(files))
		for _, f := range files {
			own[r.fset.File(f.FileStart)] = true
		}
		for a, ds := range diags {
			for i := range ds {
				d := &ds[i]
				if tf := r.fset.File(d.Pos); tf != nil && !own[tf] {
					d.Pos, d.End = r.positions.refine(u, d.Pos, d.End)
				}
				for j := range d.Related {
					rel := &d.Related[j]
					if tf := r.fset.File(rel.Pos); tf != nil && !own[tf] {
						rel.Pos, rel.End = r.positions.refine(u, rel.Pos, rel.End)
					}
				}
			}
			diags[a] = ds
		}
		e.Result = r.portable(files, diags)
	}
	return e, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// checkedReadFile is go/analysis's policy for Pass.ReadFile: the package's
// own files only.
func checkedReadFile(pass *analysis.Pass) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		ok := slices.Contains(pass.OtherFiles, name) || slices.Contains(pass.IgnoredFiles, name) ||
			slices.ContainsFunc(pass.Files, func(f *ast.File) bool { return pass.Fset.File(f.FileStart).Name() == name })
		if !ok {
			return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, IgnoredFiles, or names of Files", name)
		}
		return os.ReadFile(name)
	}
}

// portable records the diagnostics and directives of a root package, whose
// files are files.
func (r *incrRun) portable(files []*ast.File, diags map[*analysis.Analyzer][]analysis.Diagnostic) *pkgResult {
	t := newPosTable(r.fset)
	res := &pkgResult{}
	function := func(pos token.Pos) string {
		for _, f := range files {
			if f.FileStart <= pos && pos <= f.FileEnd {
				return nav.DeclName(f, pos)
			}
		}
		return ""
	}
	analyzers := slices.Collect(func(yield func(*analysis.Analyzer) bool) {
		for a := range diags {
			if !yield(a) {
				return
			}
		}
	})
	slices.SortFunc(analyzers, func(a, b *analysis.Analyzer) int { return cmp.Compare(a.Name, b.Name) })
	for _, a := range analyzers {
		if !slices.Contains(r.o.analyzers, a) {
			continue // a required analyzer's: not the user's to see
		}
		for _, d := range diags[a] {
			if url, err := resolveURL(a, d); err == nil {
				d.URL = url
			}
			res.Diags = append(res.Diags, portableDiag(t, a.Name, d, function(d.Pos)))
		}
	}
	for _, f := range files {
		if lint.IsGenerated(f, r.fset) {
			continue // nothing is reported there
		}
		for _, d := range lint.Directives(f) {
			if d.Problem == "" {
				res.Directives = append(res.Directives, pDirective{t.pos(d.Pos), t.pos(d.End), d.Names, function(d.Pos)})
			}
		}
	}
	res.Files = t.table()
	return res
}

// resolveURL is go/analysis's rule for a diagnostic's URL: relative to the
// analyzer's, "#category" when it has none.
func resolveURL(a *analysis.Analyzer, d analysis.Diagnostic) (string, error) {
	if d.URL == "" && d.Category == "" && a.URL == "" {
		return "", nil
	}
	raw := d.URL
	if d.URL == "" && d.Category != "" {
		raw = "#" + d.Category
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	base, err := url.Parse(a.URL)
	if err != nil {
		return "", err
	}
	return base.ResolveReference(u).String(), nil
}

// finish turns the roots' results into findings, and stores the results of
// roots analysed in this run now that every pass has recorded the
// directives it used.
func (r *incrRun) finish(out *outcome, nodes []*node) {
	byPkg := make(map[*packages.Package]*node)
	for _, n := range nodes {
		byPkg[n.pkg] = n
	}
	var roots []*node // in the go command's order, as unusedDirectives takes them
	for _, p := range out.roots {
		roots = append(roots, byPkg[p])
	}
	if r.cache != nil {
		var used []lint.Used
		for _, u := range r.o.uses {
			used = append(used, u.List()...)
		}
		for _, n := range roots {
			if n.result == nil || n.srcEntry != nil || n.readIgnored {
				continue // unsafe, read by its source key, or not to be stored
			}
			if !n.fresh {
				if n.srcKey != ([32]byte{}) {
					// Found by its export key: stored by its source key too,
					// for the next run.
					r.put(entry{Facts: n.facts, FactsHash: factsHash(n.facts), Result: n.result, Export: n.pkg.ExportFile}, n.srcKey)
				}
				continue
			}
			names := make(map[string]bool)
			for _, f := range n.result.Files {
				names[f.Name] = true
			}
			for _, name := range n.pkg.CompiledGoFiles {
				names[name] = true
			}
			n.result.Uses = nil
			for _, d := range used {
				if names[d.Filename] && !slices.Contains(n.result.Uses, d) {
					n.result.Uses = append(n.result.Uses, d)
				}
			}
			e := entry{Facts: n.facts, FactsHash: factsHash(n.facts), Result: n.result, Export: n.pkg.ExportFile}
			r.put(e, n.key, n.srcKey)
		}
	}

	// As analyzeLoaded: roots by ID, so that a finding in a file that "p"
	// and "p [p.test]" share is attributed to p.
	byID := slices.Clone(roots)
	slices.SortStableFunc(byID, func(a, b *node) int { return cmp.Compare(a.pkg.ID, b.pkg.ID) })
	type key struct {
		analyzer, category, file, message string
		start, end                        int
	}
	seen := make(map[key]bool)
	maps := make(map[*node]*posMap)
	report := token.NewFileSet()
	for _, n := range byID {
		m := newPosMap(report, n.result.Files)
		maps[n] = m
		for _, pd := range n.result.Diags {
			f := m.finding(r.byName[pd.Analyzer], n.pkg, pd)
			k := key{pd.Analyzer, pd.Category, f.posn.Filename, pd.Message, f.posn.Offset, f.end.Offset}
			if seen[k] {
				continue
			}
			seen[k] = true
			out.findings = append(out.findings, f)
		}
	}
	used := make(map[lint.Used]bool)
	for _, n := range roots {
		for _, d := range n.result.Uses {
			used[d] = true
		}
	}
	for _, u := range r.o.uses {
		for _, d := range u.List() {
			used[d] = true
		}
	}
	var sites []directiveSite
	for _, n := range roots {
		m := maps[n]
		for _, d := range n.result.Directives {
			sites = append(sites, directiveSite{pkg: n.pkg, fset: report, pos: m.pos(d.Pos), end: m.pos(d.End), names: d.Names, function: d.Function})
		}
	}
	out.findings = append(out.findings, judgeDirectives(r.o, sites, func(d lint.Used) bool { return used[d] })...)
	slices.SortStableFunc(out.findings, compareFindings)
}

func factsHash(facts []byte) [32]byte {
	if facts == nil {
		return [32]byte{}
	}
	return sha256.Sum256(facts)
}
