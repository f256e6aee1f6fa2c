package envflag

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/nav"
)

// A state is one piece of process-wide state that a function writes, with
// its writes sorted into sets and resets.
type state struct {
	key    key
	sets   []*write // direct writes of the set value
	resets []*write // direct writes of the reset value, and calls of helpers that write it
	setVal string   // kindVar: the set value ("true", "1")
}

// states returns the states that f both sets and resets by hand, and
// resets nowhere else: not in a deferred call, a goroutine or a literal
// that runs who knows when.
func (c *checker) states(f *function) []*state {
	var order []key
	byKey := make(map[key][]*write)
	for _, w := range f.writes {
		if !w.key.keyed() || w.how == local {
			continue // os.Setenv(name(), v): which variable is unknown; or in a local helper, which counts where it is called
		}
		if _, ok := byKey[w.key]; !ok {
			order = append(order, w.key)
		}
		byKey[w.key] = append(byKey[w.key], w)
	}
	var states []*state
	for _, k := range order {
		ws := byKey[k]
		if slices.ContainsFunc(ws, func(w *write) bool { return w.how == deferred || w.how == opaque }) {
			continue // restored by a deferred call, or by code that runs later
		}
		var st *state
		switch k.kind {
		case kindEnv:
			st = envState(k, ws)
		case kindVar:
			st = flagState(k, ws)
		case kindRestore:
			st = c.restoreState(f, k, ws)
		}
		if st != nil {
			// A set in a literal called in place is the literal's to report.
			st.sets = slices.DeleteFunc(st.sets, func(w *write) bool { return !w.own })
		}
		if st != nil && len(st.sets) > 0 && len(st.resets) > 0 {
			states = append(states, st)
		}
	}
	return states
}

// envState sorts the writes of an environment variable: os.Setenv(k, v)
// sets it; os.Unsetenv(k), os.Setenv(k, "") and os.Setenv(k, old) with
// old read from the environment reset it. Where nothing else sets it, an
// os.Unsetenv(k) that os.Setenv(k, old) undoes is the set.
func envState(k key, ws []*write) *state {
	st := &state{key: k}
	saved := false
	for _, w := range ws {
		switch {
		case w.how == helper && w.val != valConst:
			st.resets = append(st.resets, w) // a helper restoring it, even to a value it was given
		case w.how == helper:
			// a helper setting it to a constant: neither
		case w.val == valConst || w.val == valOther:
			st.sets = append(st.sets, w)
		default:
			st.resets = append(st.resets, w)
			saved = saved || w.val == valSaved
		}
	}
	if len(st.sets) == 0 && saved {
		st.resets = slices.DeleteFunc(st.resets, func(w *write) bool {
			if w.how == direct && w.val == valUnset {
				st.sets = append(st.sets, w)
				return true
			}
			return false
		})
	}
	return st
}

// flagState sorts the writes of a package-level variable: it is a flag if
// every write stores one of two constants — for integers, 0 and one other
// — and the function's first write of its own sets it. A variable
// written with anything else, or counted (Add), is not a flag.
func flagState(k key, ws []*write) *state {
	vals := make(map[string]bool)
	for _, w := range ws {
		if w.val != valConst {
			return nil // a counter, or a computed value: not a flag
		}
		vals[w.c] = true
	}
	if len(vals) != 2 {
		return nil // always the same value, or a state machine
	}
	if !vals["true"] && !vals["0"] {
		return nil // integers other than 0 and one value
	}
	first := slices.IndexFunc(ws, func(w *write) bool { return w.how == direct })
	if first < 0 {
		return nil // only helpers write it here
	}
	if v := ws[first].c; v == "false" || v == "0" {
		return nil // set to its zero value first: a setting being computed, not a flag raised
	}
	st := &state{key: k, setVal: ws[first].c}
	for _, w := range ws {
		switch {
		case w.c != st.setVal:
			st.resets = append(st.resets, w)
		case w.how == direct:
			st.sets = append(st.sets, w)
		}
	}
	return st
}

// restoreState sorts the uses of a restore function of runtime/coord
// (lower := f.Raise()): its calls in f's own code reset; any other use —
// deferred, passed on, called in a literal — hands the reset elsewhere.
func (c *checker) restoreState(f *function, k key, ws []*write) *state {
	st := &state{key: k, sets: ws}
	v := k.obj.(*types.Var)
	for cur := range f.cur.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.info.Uses[id] != v {
			continue // another name
		}
		if slices.ContainsFunc(ws, func(w *write) bool { return nav.Within(id.Pos(), w.node) }) {
			continue // the assignment of the restore function
		}
		call, ok := cur.Parent().Node().(*ast.CallExpr)
		if !ok || call.Fun != id || len(call.Args) != 0 {
			return nil // passed on or stored: someone else restores
		}
		if fc, ok := nav.EnclosingFunc(cur); !ok || fc.Node() != f.node {
			return nil // called in a literal
		}
		switch cur.Parent().Parent().Node().(type) {
		case *ast.DeferStmt, *ast.GoStmt:
			return nil // deferred: restored on every path
		}
		st.resets = append(st.resets, &write{key: k, node: call, at: call, val: valCall, how: direct, ours: -1})
	}
	return st
}

// unrestored reports the states that f sets and resets by hand on some
// exit paths but not on all of them.
func (c *checker) unrestored(f *function) {
	for _, st := range c.states(f) {
		if st.key.kind == kindEnv && slices.ContainsFunc(st.sets, func(w *write) bool {
			call, ok := w.node.(*ast.CallExpr)
			return ok && c.reported[call]
		}) {
			continue // child-env reported it
		}
		c.checkState(f, st)
	}
}

func (c *checker) checkState(f *function, st *state) {
	g := c.graphOf(f)
	resetAt := make(map[ast.Node]*write)
	for _, w := range st.resets {
		if l, ok := g.locate(w.at.Pos()); ok {
			resetAt[l.node()] = w
		}
	}
	for _, set := range st.sets {
		var okVars map[*types.Var]bool
		if set.val == valUnset {
			okVars = f.lookupOKs(c, st.key)
		}
		r := c.fromSet(g, set, resetAt, okVars)
		if len(r.resets) == 0 {
			continue // never reset after this set: not a hand-made restore
		}
		missing, rollback := c.reportable(g, r, c.exitsWithoutSet(g, set))
		if len(missing) == 0 {
			continue // every exit resets, or keeps the state on purpose
		}
		d := analysis.Diagnostic{Pos: set.node.Pos(), End: set.node.End(), Message: c.unrestoredMessage(st, set, len(missing))}
		for _, x := range missing {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: x.pos, Message: c.exitMessage(st, x)})
		}
		if fx, ok := c.deferFix(f, g, st, set, r); ok && !rollback {
			d.SuggestedFixes = []analysis.SuggestedFix{fx}
		}
		c.pass.Report(ruleUnrestored, d)
		if call, ok := set.node.(*ast.CallExpr); ok {
			c.reported[call] = true
		}
		return // one diagnostic per state
	}
}

// reportable returns the exits of r that miss the reset and should not:
// all of them, unless every reset is on a failure path — a rollback of a
// set that is meant to stay when the function succeeds — in which case
// only the failure exits that miss it. Exits that a path without the set
// reaches too (unset, an early return that a retry loop comes back to)
// are the function's before it owns the state, and are left out. It
// reports whether the resets are a rollback, which one defer would not
// be.
func (c *checker) reportable(g *graph, r reach, unowned map[token.Pos]bool) ([]exit, bool) {
	rollback := true
	for n := range r.resets {
		l, _ := g.locate(n.Pos())
		for _, x := range c.exitsFrom(g, l) {
			rollback = rollback && x.kind == exitFailure
		}
	}
	var out []exit
	seen := make(map[token.Pos]bool)
	for _, x := range r.missing {
		if seen[x.pos] || unowned[x.pos] || rollback && x.kind != exitFailure {
			continue
		}
		seen[x.pos] = true
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b exit) int { return int(a.pos - b.pos) })
	return out, rollback
}

func others(n int) string {
	if n == 1 {
		return "1 other"
	}
	return fmt.Sprintf("%d others", n)
}

func (c *checker) unrestoredMessage(st *state, set *write, n int) string {
	switch st.key.kind {
	case kindEnv:
		return fmt.Sprintf("%s is undone on some exit paths but not on %s: %s stays %s for the whole process; defer the reset, or use coord.SetEnv",
			c.callName(set), others(n), c.envName(set), envStays(set))
	case kindRestore:
		return fmt.Sprintf("%s is called on some exit paths but not on %s: what it restores stays changed; defer it", st.key.obj.Name(), others(n))
	}
	return fmt.Sprintf("%s is set to %s and reset on some exit paths but not on %s: it stays %s for the whole process; defer the reset",
		c.varName(st), st.setVal, others(n), st.setVal)
}

func (c *checker) exitMessage(st *state, x exit) string {
	switch st.key.kind {
	case kindEnv:
		return x.verb + " here without undoing it"
	case kindRestore:
		return x.verb + " here without calling " + st.key.obj.Name()
	}
	return x.verb + " here with " + c.varName(st) + " still " + st.setVal
}

// callName names the call of a set: os.Setenv("K", …).
func (c *checker) callName(set *write) string {
	call, ok := set.node.(*ast.CallExpr)
	if !ok {
		return "the write"
	}
	name := "os.Setenv"
	if set.val == valUnset {
		name = "os.Unsetenv"
	}
	arg, ok := c.src.Text(call.Args[0].Pos(), call.Args[0].End())
	if !ok {
		arg = "…"
	}
	if name == "os.Setenv" {
		return name + "(" + arg + ", …)"
	}
	return name + "(" + arg + ")"
}

func (c *checker) envName(set *write) string {
	if set.key.name != "" {
		return set.key.name
	}
	return "the variable"
}

func envStays(set *write) string {
	if set.val == valUnset {
		return "unset"
	}
	return "set"
}

// varName names a flag: booting, state.ready.
func (c *checker) varName(st *state) string {
	return st.key.obj.Name() + st.key.path
}
