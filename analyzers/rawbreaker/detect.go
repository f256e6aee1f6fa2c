package rawbreaker

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/resilvet/resilvet/internal/match"
)

// findBreakers returns the package's hand-rolled breaker types: struct
// types, declared at package level outside test files, that hold the
// three parts of a circuit breaker —
//
//   - a state with closed and open values: a field of a named integer or
//     string type whose constants include a closed and an open one, a
//     field of a plain or sync/atomic integer type that the type's
//     methods compare or set to such constants, or a bool field named
//     open or tripped;
//   - failures counted against a threshold: an integer field named for
//     failures or errors (in the type or in a struct field of it) that
//     the type's methods compare, or a func field named for tripping;
//   - a time to reset: a time.Time, time.Duration or *time.Timer field
//     (in the type or in a struct field of it).
//
// A state machine of another kind — a connection's open and closed
// states, a stream's — lacks the failure count or the reset time.
func (c *checker) findBreakers() []localBreaker {
	type candidate struct {
		obj      *types.TypeName
		state    string              // the state field, if its type says so
		basic    []*types.Var        // integer fields that constants may name states of
		counters map[*types.Var]bool // failure counters
		consts   map[string]bool     // closed and open, as the methods name them
		compared bool                // a method compares a counter, or calls a trip func
	}
	var cands []*candidate
	byType := make(map[*types.TypeName]*candidate)
	for _, f := range c.pass.Files {
		if isTestFile(c.pass, f) {
			continue // not part of the program
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue // not a type declaration
			}
			for _, s := range gd.Specs {
				obj, _ := c.pass.TypesInfo.Defs[s.(*ast.TypeSpec).Name].(*types.TypeName)
				if obj == nil || obj.IsAlias() {
					continue // an alias names a type declared elsewhere
				}
				st, ok := obj.Type().Underlying().(*types.Struct)
				if !ok {
					continue // not a struct
				}
				cd := &candidate{obj: obj, counters: make(map[*types.Var]bool), consts: make(map[string]bool)}
				hasTime := false
				for field := range st.Fields() {
					name := strings.ToLower(field.Name())
					switch {
					case cd.state == "" && c.namedState(field.Type()):
						cd.state = field.Name()
					case cd.state == "" && isBool(field.Type()) && boolStateName(name):
						cd.state = field.Name()
					case isInteger(field.Type()):
						cd.basic = append(cd.basic, field)
					}
					if isInteger(field.Type()) && counterName(name) {
						cd.counters[field] = true
					}
					hasTime = hasTime || isTimeType(field.Type())
					// One level down: gobreaker-style Counts and
					// settings structs.
					if sub, ok := field.Type().Underlying().(*types.Struct); ok && !isTimeType(field.Type()) {
						for sf := range sub.Fields() {
							if isInteger(sf.Type()) && counterName(strings.ToLower(sf.Name())) {
								cd.counters[sf] = true
							}
							hasTime = hasTime || isTimeType(sf.Type())
							cd.compared = cd.compared || tripFunc(sf)
						}
					}
					cd.compared = cd.compared || tripFunc(field)
				}
				if !hasTime || (len(cd.counters) == 0 && !cd.compared) || (cd.state == "" && len(cd.basic) == 0) {
					continue // lacks a part
				}
				cands = append(cands, cd)
				byType[obj] = cd
			}
		}
	}
	if len(cands) == 0 {
		return nil // no struct with the parts of a breaker
	}
	// The methods say how the counters and integer states are used.
	for _, f := range c.pass.Files {
		if isTestFile(c.pass, f) {
			continue // not part of the program
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil {
				continue // not a method with a body
			}
			fn, _ := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			recv := match.Receiver(fn)
			if recv == nil {
				continue // not a method of a named type
			}
			cd := byType[recv.Obj()]
			if cd == nil {
				continue // not a candidate's method
			}
			// A local copy of a counter counts as the counter:
			// n := b.failures.Add(1); if n >= b.threshold { … }.
			copies := make(map[*types.Var]bool)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
					for i, rhs := range as.Rhs {
						if v := assignedVar(c.pass.TypesInfo, as.Lhs[i]); v != nil && c.mentionsAny(rhs, cd.counters, nil) {
							copies[v] = true
						}
					}
				}
				return true
			})
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BinaryExpr:
					switch n.Op {
					case token.GTR, token.GEQ, token.LSS, token.LEQ, token.EQL:
						if c.mentionsAny(n, cd.counters, copies) {
							cd.compared = true
						}
					}
				case *ast.Ident:
					if k, ok := c.pass.TypesInfo.Uses[n].(*types.Const); ok && k.Pkg() == c.pass.Pkg && k.Parent() == c.pass.Pkg.Scope() {
						if b, ok := k.Type().(*types.Basic); isInteger(k.Type()) || ok && b.Info()&types.IsUntyped != 0 {
							lower := strings.ToLower(k.Name())
							switch {
							case closedName(lower):
								cd.consts["closed"] = true
							case openName(lower):
								cd.consts["open"] = true
							}
						}
					}
				}
				return true
			})
		}
	}
	var out []localBreaker
	for _, cd := range cands {
		state := cd.state
		if state == "" && cd.consts["closed"] && cd.consts["open"] {
			state = cd.basic[0].Name()
			for _, v := range cd.basic {
				if strings.Contains(strings.ToLower(v.Name()), "state") {
					state = v.Name()
				}
			}
		}
		if state == "" || !cd.compared {
			continue // no closed/open state, or no threshold
		}
		out = append(out, localBreaker{obj: cd.obj, state: state})
	}
	return out
}

// tripFunc reports whether field is a func named for tripping that
// returns a bool (gobreaker's ReadyToTrip, a ShouldTrip option): it
// decides, from counts kept wherever, when the breaker opens.
func tripFunc(field *types.Var) bool {
	sig, ok := field.Type().Underlying().(*types.Signature)
	return ok && strings.Contains(strings.ToLower(field.Name()), "trip") && sig.Results().Len() == 1 && isBool(sig.Results().At(0).Type())
}

// mentionsAny reports whether n selects one of the fields or names one of
// the local variables.
func (c *checker) mentionsAny(n ast.Node, fields, locals map[*types.Var]bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if v, ok := c.pass.TypesInfo.Uses[n.Sel].(*types.Var); ok && fields[v] {
				found = true
			}
		case *ast.Ident:
			if v, ok := c.pass.TypesInfo.Uses[n].(*types.Var); ok && locals[v] {
				found = true
			}
		}
		return !found
	})
	return found
}

// namedState reports whether t is a named integer or string type whose
// package declares a closed and an open constant of it. It is asked for
// every such field of every struct the package declares, with few types
// among them, so the answers are kept per type and each package's
// constants are listed once.
func (c *checker) namedState(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	b, ok := named.Underlying().(*types.Basic)
	if !ok || b.Info()&(types.IsInteger|types.IsString) == 0 {
		return false
	}
	if is, ok := c.states[named]; ok {
		return is
	}
	closed, open := false, false
	for _, k := range c.constsOf(named.Obj().Pkg()) {
		if !types.Identical(k.Type(), named) || k.Val().Kind() == constant.Unknown {
			continue // not a constant of the type
		}
		lower := strings.ToLower(k.Name())
		closed = closed || closedName(lower)
		open = open || openName(lower)
	}
	if c.states == nil {
		c.states = make(map[*types.Named]bool)
	}
	c.states[named] = closed && open
	return closed && open
}

// constsOf returns the package-level constants of pkg.
func (c *checker) constsOf(pkg *types.Package) []*types.Const {
	if ks, ok := c.consts[pkg]; ok {
		return ks
	}
	var ks []*types.Const
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		if k, ok := scope.Lookup(name).(*types.Const); ok {
			ks = append(ks, k)
		}
	}
	if c.consts == nil {
		c.consts = make(map[*types.Package][]*types.Const)
	}
	c.consts[pkg] = ks
	return ks
}

func closedName(lower string) bool { return strings.Contains(lower, "closed") }

func openName(lower string) bool {
	return (strings.Contains(lower, "open") && !strings.Contains(lower, "half")) || strings.Contains(lower, "tripped")
}

func boolStateName(lower string) bool {
	switch lower {
	case "open", "isopen", "opened", "tripped", "istripped":
		return true
	}
	return false
}

// counterName reports whether a field so named counts failures: not a
// threshold or limit of them.
func counterName(lower string) bool {
	if !strings.Contains(lower, "fail") && !strings.Contains(lower, "err") {
		return false
	}
	for _, not := range []string{"threshold", "max", "min", "limit", "ratio", "rate", "percent", "trip"} {
		if strings.Contains(lower, not) {
			return false
		}
	}
	return true
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// isInteger reports whether t is an integer type or a sync/atomic integer.
func isInteger(t types.Type) bool {
	if b, ok := t.Underlying().(*types.Basic); ok {
		return b.Info()&types.IsInteger != 0
	}
	for _, name := range []string{"Int32", "Int64", "Uint32", "Uint64"} {
		if match.IsNamed(t, "sync/atomic", name) {
			return true
		}
	}
	return false
}

func isTimeType(t types.Type) bool {
	return match.IsNamed(t, "time", "Time") || match.IsNamed(t, "time", "Duration") || match.IsNamedOrPtr(t, "time", "Timer")
}
