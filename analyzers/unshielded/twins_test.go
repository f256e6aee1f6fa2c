package unshielded_test

import (
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/analyzers/unshielded"
	"github.com/resilvet/resilvet/internal/match"
)

// TestTwinTable checks every row of the detached-call table against the
// standard library's types, and that the table misses no same-shaped twin
// of the types and packages it covers: the table is derived, not guessed.
func TestTwinTable(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes},
		"os/exec", "net/http", "net", "crypto/tls", "database/sql", "time")
	if err != nil {
		t.Fatal(err)
	}
	byPath := make(map[string]*types.Package)
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatal(p.Errors)
		}
		byPath[p.PkgPath] = p.Types
	}
	// lookup returns the function pkg.name or the method (*pkg.recv).name.
	lookup := func(pkg, recv, name string) *types.Func {
		scope := byPath[pkg].Scope()
		if recv == "" {
			fn, _ := scope.Lookup(name).(*types.Func)
			return fn
		}
		tn, ok := scope.Lookup(recv).(*types.TypeName)
		if !ok {
			t.Fatalf("%s.%s: no such type", pkg, recv)
		}
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), false, tn.Pkg(), name)
		fn, _ := obj.(*types.Func)
		return fn
	}

	rows := unshielded.TwinTable()
	for _, r := range rows {
		id := r.Pkg + "." + r.Name
		if r.Recv != "" {
			id = "(*" + r.Pkg + "." + r.Recv + ")." + r.Name
		}
		orig := lookup(r.Pkg, r.Recv, r.Name)
		if orig == nil {
			t.Errorf("%s: no such function", id)
			continue
		}
		sig := orig.Signature()
		switch r.Fix {
		case "renameCtx", "renameCtxNil":
			extra := 0
			if r.Fix == "renameCtxNil" {
				extra = 1
			}
			tw := lookup(r.Pkg, r.Recv, r.To)
			if tw == nil || !unshielded.SameShape(sig, tw.Signature(), extra) {
				t.Errorf("%s: %s is not its same-shaped twin", id, r.To)
				continue
			}
			if extra == 1 {
				last := tw.Signature().Params().At(tw.Signature().Params().Len() - 1).Type()
				if _, ok := last.(*types.Pointer); !ok {
					t.Errorf("%s: %s's extra parameter %s cannot take nil", id, r.To, last)
				}
			}
		case "resolver":
			dr, ok := byPath["net"].Scope().Lookup("DefaultResolver").(*types.Var)
			tw := lookup("net", "Resolver", r.To)
			if !ok || !match.IsNamedOrPtr(dr.Type(), "net", "Resolver") || tw == nil || !unshielded.SameShape(sig, tw.Signature(), 0) {
				t.Errorf("%s: net.DefaultResolver.%s is not its same-shaped twin", id, r.To)
			}
		case "dialer", "dialerTimeout":
			tw := lookup("net", "Dialer", "DialContext")
			params := sig.Params()
			if r.Fix == "dialerTimeout" {
				// The timeout moves into the Dialer literal.
				timeout := params.At(params.Len() - 1)
				field, _, _ := types.LookupFieldOrMethod(byPath["net"].Scope().Lookup("Dialer").Type(), false, byPath["net"], "Timeout")
				if f, ok := field.(*types.Var); !ok || !types.Identical(f.Type(), timeout.Type()) {
					t.Errorf("%s: net.Dialer has no Timeout field of type %s", id, timeout.Type())
				}
				vars := make([]*types.Var, params.Len()-1)
				for i := range vars {
					vars[i] = params.At(i)
				}
				sig = types.NewSignatureType(nil, nil, nil, types.NewTuple(vars...), sig.Results(), false)
			}
			if tw == nil || !unshielded.SameShape(sig, tw.Signature(), 0) {
				t.Errorf("%s: (*net.Dialer).DialContext is not its same-shaped twin", id)
			}
		case "tlsDialer":
			// (&tls.Dialer{NetDialer: d, Config: cfg}).DialContext(ctx, n, a):
			// the fields take d and cfg, DialContext takes ctx, n and a, and
			// returns what *tls.Conn is assignable to.
			tw := lookup("crypto/tls", "Dialer", "DialContext")
			params := sig.Params()
			dialer := byPath["crypto/tls"].Scope().Lookup("Dialer").Type()
			field := func(name string) types.Type {
				f, _, _ := types.LookupFieldOrMethod(dialer, false, byPath["crypto/tls"], name)
				if v, ok := f.(*types.Var); ok {
					return v.Type()
				}
				return nil
			}
			first := 0
			if r.Name == "DialWithDialer" {
				first = 1
				if d := field("NetDialer"); d == nil || !types.Identical(d, params.At(0).Type()) {
					t.Errorf("%s: tls.Dialer has no NetDialer field of type %s", id, params.At(0).Type())
				}
			}
			cfg := params.At(params.Len() - 1).Type()
			if f := field("Config"); f == nil || !types.Identical(f, cfg) {
				t.Errorf("%s: tls.Dialer has no Config field of type %s", id, cfg)
			}
			tp, tr, or := tw.Signature().Params(), tw.Signature().Results(), sig.Results()
			if tp.Len() != 3 || !match.IsContext(tp.At(0).Type()) || !types.Identical(tp.At(1).Type(), params.At(first).Type()) || !types.Identical(tp.At(2).Type(), params.At(first+1).Type()) {
				t.Errorf("%s: (*tls.Dialer).DialContext does not take (ctx, network, addr)", id)
			}
			if tr.Len() != 2 || or.Len() != 2 || !types.AssignableTo(or.At(0).Type(), tr.At(0).Type()) || !types.Identical(or.At(1).Type(), tr.At(1).Type()) {
				t.Errorf("%s: (*tls.Dialer).DialContext's results do not hold %s's", id, r.Name)
			}
		case "":
			// A "no fix" row: check the reason it gives.
			switch {
			case strings.HasPrefix(r.NoFix, "the context-taking form needs a request"):
				if lookup(r.Pkg, r.Recv, r.Name+"Context") != nil || lookup(r.Pkg, r.Recv, r.Name+"WithContext") != nil {
					t.Errorf("%s: has a context twin after all", id)
				}
			case strings.Contains(r.NoFix, "LookupIP"):
				ip, ipAddr := lookup("net", "Resolver", "LookupIP"), lookup("net", "Resolver", "LookupIPAddr")
				if unshielded.SameShape(sig, ip.Signature(), 0) || unshielded.SameShape(sig, ipAddr.Signature(), 0) {
					t.Errorf("%s: has a same-shaped Resolver twin after all", id)
				}
			default:
				t.Errorf("%s: no fix and no checked reason: %q", id, r.NoFix)
			}
		default:
			t.Errorf("%s: unknown fix %q", id, r.Fix)
		}
	}

	// Completeness: every method of the covered types with a same-shaped
	// XContext twin, and every package-level net.Lookup function, has a row.
	has := func(pkg, recv, name string) bool {
		return slices.ContainsFunc(rows, func(r unshielded.TwinRow) bool { return r.Pkg == pkg && r.Recv == recv && r.Name == name })
	}
	for _, typ := range []struct{ pkg, name string }{
		{"database/sql", "DB"}, {"database/sql", "Tx"}, {"database/sql", "Conn"}, {"database/sql", "Stmt"},
		{"crypto/tls", "Conn"}, {"crypto/tls", "Dialer"}, {"net", "Dialer"}, {"net/http", "Client"}, {"os/exec", "Cmd"},
	} {
		mset := types.NewMethodSet(types.NewPointer(byPath[typ.pkg].Scope().Lookup(typ.name).Type()))
		for sel := range mset.Methods() {
			m := sel.Obj().(*types.Func)
			if !m.Exported() || strings.HasSuffix(m.Name(), "Context") {
				continue // unexported, or a twin itself
			}
			tw := lookup(typ.pkg, typ.name, m.Name()+"Context")
			if tw != nil && unshielded.SameShape(m.Signature(), tw.Signature(), 0) && !has(typ.pkg, typ.name, m.Name()) {
				t.Errorf("(*%s.%s).%s has the twin %sContext but no row", typ.pkg, typ.name, m.Name(), m.Name())
			}
		}
	}
	for _, name := range byPath["net"].Scope().Names() {
		if strings.HasPrefix(name, "Lookup") && !has("net", "", name) {
			if _, ok := byPath["net"].Scope().Lookup(name).(*types.Func); ok {
				t.Errorf("net.%s has no row", name)
			}
		}
	}
	if !has("database/sql", "DB", "Begin") || !has("database/sql", "Tx", "Stmt") {
		t.Error("the rows whose twin is not named XContext (Begin, Stmt) are missing")
	}
}
