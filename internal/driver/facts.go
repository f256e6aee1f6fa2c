package driver

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"fmt"
	"go/types"
	"io"
	"os"
	"reflect"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/types/objectpath"
)

// A universe holds the types of dependencies, read from the export data the
// go command wrote when it compiled them (go list -export), and the facts
// their analyses exported, decoded against those types: what a package
// analysed from source sees of its imports, as in unitchecker, but shared by
// every package of a run rather than read again per package. A package and
// the packages it imports must agree on which package a path names, so test
// variants ("p [p.test]") and what they import each get a universe of their
// own.
type universe struct {
	mu       sync.RWMutex
	run      *incrRun
	imports  map[string]*types.Package // by package path
	objFacts map[objectFactKey]analysis.Fact
	pkgFacts map[packageFactKey]analysis.Fact
	decoded  map[*node]bool // facts decoded
}

type objectFactKey struct {
	obj types.Object
	typ reflect.Type
}

type packageFactKey struct {
	pkg *types.Package
	typ reflect.Type
}

func newUniverse(r *incrRun) *universe {
	return &universe{
		run:      r,
		imports:  make(map[string]*types.Package),
		objFacts: make(map[objectFactKey]analysis.Fact),
		pkgFacts: make(map[packageFactKey]analysis.Fact),
		decoded:  make(map[*node]bool),
	}
}

// importNode returns the types of n, read from its export data.
func (u *universe) importNode(n *node) (*types.Package, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.importLocked(n)
}

func (u *universe) importLocked(n *node) (*types.Package, error) {
	path := n.pkg.PkgPath
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p := u.imports[path]; p != nil && p.Complete() {
		return p, nil
	}
	f, err := os.Open(n.pkg.ExportFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f) //nolint:staticcheck // go list -export's files are compiler archives, which Read rejects; x/tools v0.52.0 has no other reader for them
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s: %w", n.pkg.ID, err)
	}
	return gcexportdata.Read(r, u.run.fset, u.imports, path)
}

// decodeFacts makes the facts of n and of every package below it visible in
// u.
func (u *universe) decodeFacts(n *node) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	var err error
	var visit func(n *node)
	visit = func(n *node) {
		if u.decoded[n] || err != nil {
			return
		}
		u.decoded[n] = true
		for _, d := range n.deps {
			visit(d)
		}
		if err == nil {
			err = u.decodeLocked(n)
		}
	}
	for _, d := range n.deps {
		visit(d)
	}
	return err
}

func (u *universe) decodeLocked(n *node) error {
	if len(n.facts) == 0 {
		return nil
	}
	var recs []factRecord
	if err := gob.NewDecoder(bytes.NewReader(n.facts)).Decode(&recs); err != nil {
		return fmt.Errorf("decoding facts of %s: %w", n.pkg.ID, err)
	}
	pkg, err := u.importLocked(n)
	if err != nil {
		return err
	}
	for _, r := range recs {
		typ := reflect.TypeOf(r.Fact)
		if r.Object == "" {
			u.pkgFacts[packageFactKey{pkg, typ}] = r.Fact
			continue
		}
		obj, err := objectpath.Object(pkg, r.Object)
		if err != nil {
			continue // not in the export data: no importer can name it
		}
		u.objFacts[objectFactKey{obj, typ}] = r.Fact
	}
	return nil
}

// A factRecord is one fact as stored: of the package when Object is "",
// else of the object at that path in the package.
type factRecord struct {
	Object objectpath.Path
	Fact   analysis.Fact
}

// encodeFacts encodes the facts a package's passes exported, dropping those
// of objects that no importer can see, as go/analysis/checker does.
func encodeFacts(pkg *types.Package, objFacts map[objectFactKey]analysis.Fact, pkgFacts map[packageFactKey]analysis.Fact) ([]byte, error) {
	var recs []factRecord
	var enc objectpath.Encoder
	for k, f := range objFacts {
		if !exportedFrom(k.obj, pkg) {
			continue
		}
		path, err := enc.For(k.obj)
		if err != nil {
			continue // a local: not reachable from another package
		}
		recs = append(recs, factRecord{path, f})
	}
	for _, f := range pkgFacts {
		recs = append(recs, factRecord{"", f})
	}
	if len(recs) == 0 {
		return nil, nil
	}
	slices.SortFunc(recs, func(a, b factRecord) int {
		return cmp.Or(cmp.Compare(a.Object, b.Object), cmp.Compare(reflect.TypeOf(a.Fact).String(), reflect.TypeOf(b.Fact).String()))
	})
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(recs); err != nil {
		return nil, fmt.Errorf("encoding facts of %s: %w", pkg.Path(), err)
	}
	return buf.Bytes(), nil
}

// registerFactTypes registers the fact types of analyzers with gob, and
// encodes a value of each once, in the analyzers' order: gob numbers types
// in the order a process first encodes them, and the bytes of a package's
// facts are part of its dependents' cache keys, so they must not depend on
// which package of a run happened to be encoded first. (Types numbered
// already keep their numbers.)
func registerFactTypes(analyzers []*analysis.Analyzer) {
	var recs []factRecord
	for _, a := range analyzers {
		for _, f := range a.FactTypes {
			gob.Register(f)
			recs = append(recs, factRecord{"", f})
		}
	}
	// Only the numbering matters here. A fact type gob cannot encode fails
	// again, and is reported, when encodeFacts encodes a fact of it.
	_ = gob.NewEncoder(io.Discard).Encode(recs)
}

// exportedFrom reports whether obj may be visible to a package that imports
// pkg: go/analysis/checker's over-approximation of the export data, so that
// the facts a dependent sees are the same in both drivers.
func exportedFrom(obj types.Object, pkg *types.Package) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Exported() && obj.Pkg() == pkg || obj.Signature().Recv() != nil
	case *types.Var:
		return obj.IsField() || obj.Pkg() == pkg
	case *types.TypeName, *types.Const:
		return true
	}
	return false
}
