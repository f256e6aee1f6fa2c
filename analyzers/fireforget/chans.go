package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A chanIndex records, for every variable and field of channel type of the
// package, how the package uses it: whether some code watches it (receives,
// ranges, selects, returns, stores or passes it on), closes it, or got it
// from elsewhere. It is built in one walk over the package.
type chanIndex struct {
	info *types.Info
	pkg  *types.Package
	// watched holds the positions of the uses that could wait on the
	// channel: everything but sends, close, len, cap, comparisons and
	// assignments to it.
	watched map[*types.Var][]token.Pos
	closed  map[*types.Var]bool
	// escapes marks channels that are returned, stored or passed on:
	// their new holder may close them.
	escapes map[*types.Var]bool
	// foreign marks channels that came from elsewhere: parameters and
	// results, and variables assigned anything but make(...) or nil.
	foreign map[*types.Var]bool
}

// chanIndex returns the package's chanIndex, building it on first use.
func (c *checker) chanIndex() *chanIndex {
	if c.chans == nil {
		c.chans = newChanIndex(c.pass.Pass, c.cursors())
	}
	return c.chans
}

func newChanIndex(pass *analysis.Pass, root inspector.Cursor) *chanIndex {
	x := &chanIndex{
		info:    pass.TypesInfo,
		pkg:     pass.Pkg,
		watched: make(map[*types.Var][]token.Pos),
		closed:  make(map[*types.Var]bool),
		escapes: make(map[*types.Var]bool),
		foreign: make(map[*types.Var]bool),
	}
	for cur := range root.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if v, ok := x.info.Defs[id].(*types.Var); ok && isChan(v.Type()) {
			x.define(cur, v)
			continue // a declaration, not a use
		}
		v, ok := x.info.Uses[id].(*types.Var)
		if !ok || !isChan(v.Type()) {
			continue // not a channel variable
		}
		if cur.ParentEdgeKind() == edge.SelectorExpr_Sel {
			cur = cur.Parent() // x.f or pkg.V: the whole selector is the use
		}
		x.use(cur, v)
	}
	return x
}

// define records the declaration of v at cur.
func (x *chanIndex) define(cur inspector.Cursor, v *types.Var) {
	switch cur.ParentEdgeKind() {
	case edge.Field_Names:
		// A parameter or result comes from, or goes to, the caller; a
		// struct field is only declared here.
		switch cur.Parent().ParentEdgeKind() {
		case edge.FieldList_List:
			if k := cur.Parent().Parent().ParentEdgeKind(); k == edge.FuncType_Params || k == edge.FuncType_Results || k == edge.FuncDecl_Recv {
				x.foreign[v] = true
			}
		}
	case edge.AssignStmt_Lhs:
		x.assigned(cur, v)
	case edge.ValueSpec_Names:
		spec := cur.Parent().Node().(*ast.ValueSpec)
		if len(spec.Values) == 0 {
			return // var ch chan T: nil until assigned
		}
		if len(spec.Values) != len(spec.Names) {
			x.foreign[v] = true // var a, b = f()
			return              // no single value to judge it by
		}
		x.from(v, spec.Values[cur.ParentEdgeIndex()])
	default:
		x.foreign[v] = true // a range variable, a type switch binding, ...
	}
}

// assigned records an assignment to v at cur, the left side of an
// assignment.
func (x *chanIndex) assigned(cur inspector.Cursor, v *types.Var) {
	as := cur.Parent().Node().(*ast.AssignStmt)
	if len(as.Lhs) != len(as.Rhs) {
		x.foreign[v] = true // ch, ok := <-chch, or a, b := f()
		return              // no single value to judge it by
	}
	x.from(v, as.Rhs[cur.ParentEdgeIndex()])
}

// from records that v is given the value of e.
func (x *chanIndex) from(v *types.Var, e ast.Expr) {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && nav.IsBuiltin(x.info, call, "make") {
		return // made here
	}
	if id, ok := e.(*ast.Ident); ok && x.info.Uses[id] == types.Universe.Lookup("nil") {
		return // disabled, e.g. for a select
	}
	x.foreign[v] = true
}

// use records the use of v by the expression at cur.
func (x *chanIndex) use(cur inspector.Cursor, v *types.Var) {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	parent := cur.Parent().Node()
	switch cur.ParentEdgeKind() {
	case edge.SendStmt_Chan, edge.BinaryExpr_X, edge.BinaryExpr_Y:
		return // sends and comparisons wait on nothing
	case edge.AssignStmt_Lhs:
		x.assigned(cur, v)
		return // assigned, not watched
	case edge.KeyValueExpr_Key:
		if _, ok := cur.Parent().Parent().Node().(*ast.CompositeLit); ok {
			x.from(v, parent.(*ast.KeyValueExpr).Value) // T{ch: make(chan int)}
			return                                      // a field given its value, not watched
		}
	case edge.CallExpr_Args:
		call := parent.(*ast.CallExpr)
		switch {
		case nav.IsBuiltin(x.info, call, "close"):
			x.closed[v] = true
			return // closing is not watching
		case nav.IsBuiltin(x.info, call, "len"), nav.IsBuiltin(x.info, call, "cap"):
			return // looking, not waiting
		}
	}
	// Received from, ranged over, returned, stored or passed on: some code
	// may wait on it.
	x.watched[v] = append(x.watched[v], cur.Node().Pos())
	switch k := cur.ParentEdgeKind(); {
	case k == edge.RangeStmt_X:
	case k == edge.UnaryExpr_X && parent.(*ast.UnaryExpr).Op == token.ARROW:
	default:
		x.escapes[v] = true // returned, stored or passed on
	}
}

// chanVar returns the variable or field that the channel expression e
// denotes, or nil.
func (x *chanIndex) chanVar(e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := x.info.Uses[e].(*types.Var)
		return v
	case *ast.SelectorExpr:
		if sel := x.info.Selections[e]; sel != nil {
			if sel.Kind() == types.FieldVal {
				v, _ := sel.Obj().(*types.Var)
				return v
			}
			return nil // a method value
		}
		v, _ := x.info.Uses[e.Sel].(*types.Var) // pkg.V
		return v
	}
	return nil
}

// observed reports whether some code other than the start may wait on the
// channel e: a channel that came from elsewhere, is exported, or is watched
// outside start. A channel the analysis cannot name counts as observed.
func (x *chanIndex) observed(e ast.Expr, start ast.Node) bool {
	v := x.chanVar(e)
	if v == nil || v.Pkg() != x.pkg || x.foreign[v] || v.Exported() && (v.IsField() || v.Parent() == x.pkg.Scope()) {
		return true // someone else's channel
	}
	for _, pos := range x.watched[v] {
		if pos < start.Pos() || pos >= start.End() {
			return true
		}
	}
	return false
}

// stop reports whether receiving from the channel e can tell a goroutine to
// stop: a channel of struct{} (ctx.Done(), a quit channel), a channel some
// code of the package closes, or one that came from elsewhere or goes
// elsewhere and may be closed there. Timer channels (of time.Time) are
// never closed.
func (x *chanIndex) stop(e ast.Expr) bool {
	t := x.info.TypeOf(e)
	if t == nil {
		return false
	}
	ch, ok := t.Underlying().(*types.Chan)
	if !ok {
		return false // not a channel
	}
	if match.IsNamed(ch.Elem(), "time", "Time") {
		return false // a timer or ticker
	}
	if st, ok := ch.Elem().Underlying().(*types.Struct); ok && st.NumFields() == 0 {
		return true // a signal channel
	}
	v := x.chanVar(e)
	if v == nil {
		// A call's result, an element of a map or slice: someone else's.
		// time.After and friends carry time.Time and were excluded above.
		return true
	}
	return v.Pkg() != x.pkg || x.closed[v] || x.foreign[v] || x.escapes[v]
}
