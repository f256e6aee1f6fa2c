package envflag

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A kind is a kind of process-wide state.
type kind int

const (
	kindEnv     kind = iota // an environment variable
	kindVar                 // a package-level variable, or a field of one
	kindRestore             // a restore function of runtime/coord: lower := f.Raise()
)

// A key names one piece of process-wide state in a function.
type key struct {
	kind kind
	name string       // kindEnv: the variable's constant name
	obj  types.Object // kindEnv: the local variable holding the name; kindVar: the package-level variable; kindRestore: the local variable
	path string       // kindVar: the fields selected from obj, ".f.g"
}

// keyed reports whether the state is identified: an environment variable
// named by a constant or a variable that keeps its value.
func (k key) keyed() bool { return k.kind != kindEnv || k.name != "" || k.obj != nil }

// A valKind says what a write stores.
type valKind int

const (
	valConst valKind = iota // a constant (flags; the value of os.Setenv)
	valOther                // anything else
	valUnset                // os.Unsetenv
	valEmpty                // os.Setenv(k, "")
	valSaved                // os.Setenv(k, old), old read by os.Getenv(k) or os.LookupEnv(k)
	valCall                 // a call of a restore function
)

// How a write happens, relative to the function it is found in.
type how int

const (
	direct   how = iota // in the function's own code
	deferred            // by a deferred call, or in a deferred literal
	helper              // by a call of a helper that writes it (a function of the package, or a local literal)
	local               // in a local helper literal: it happens where the literal is called
	opaque              // in a goroutine or a literal that runs who knows when
)

// A write is one write of process-wide state.
type write struct {
	key  key
	node ast.Node // the call, or the assignment statement
	at   ast.Node // the node in the function's own code that performs it: node, or the call of a helper
	val  valKind
	c    string // valConst: the constant's exact string
	how  how
	own  bool // in the function's own code, not in a literal in it
	// ours is, for a write that is an if statement's condition
	// (x.CompareAndSwap(false, true), os.Setenv(k, v) != nil), the
	// successor on which the write has happened: 0 for the condition's
	// true branch, 1 for its false one; -1 when it has on both.
	ours int
	// errVar is the variable that a set's error result is assigned to
	// (err := os.Setenv(k, v)): a later err != nil branch is the path on
	// which the write failed.
	errVar *types.Var
}

// The APIs that write process-wide state.
var (
	envWrites  = match.API{Pkg: "os", Names: []string{"Setenv", "Unsetenv", "Clearenv"}}
	envReads   = match.API{Pkg: "os", Names: []string{"Getenv", "LookupEnv"}}
	atomicFlag = []string{"Bool", "Int32", "Int64", "Uint32", "Uint64", "Uintptr"}
	// atomicStores are the functions of sync/atomic that store into an
	// integer at an address; atomicCAS and atomicSwap likewise.
	atomicStores = match.API{Pkg: "sync/atomic", Names: []string{"StoreInt32", "StoreInt64", "StoreUint32", "StoreUint64", "StoreUintptr"}}
	atomicCAS    = match.API{Pkg: "sync/atomic", Names: []string{"CompareAndSwapInt32", "CompareAndSwapInt64", "CompareAndSwapUint32", "CompareAndSwapUint64", "CompareAndSwapUintptr"}}
	atomicOther  = match.API{Pkg: "sync/atomic", Names: []string{"AddInt32", "AddInt64", "AddUint32", "AddUint64", "AddUintptr", "SwapInt32", "SwapInt64", "SwapUint32", "SwapUint64", "SwapUintptr", "AndInt32", "AndInt64", "AndUint32", "AndUint64", "AndUintptr", "OrInt32", "OrInt64", "OrUint32", "OrUint64", "OrUintptr"}}
	coordSetEnv  = match.API{Pkg: match.CoordPath, Names: []string{"SetEnv"}}
	coordRaise   = match.API{Pkg: match.CoordPath, Recv: "Flag", Names: []string{"Raise"}}
)

// mayWrite is the cheap test that finds the functions worth checking: n,
// a call or an assignment, may write process-wide state.
func (c *checker) mayWrite(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.CallExpr:
		fn := match.Callee(c.info, n)
		if fn == nil || fn.Pkg() == nil {
			return false // a builtin, a conversion or a func value
		}
		switch match.PkgPath(fn.Pkg()) {
		case "os":
			return envWrites.Has(fn)
		case "sync/atomic":
			return !strings.HasPrefix(fn.Name(), "Load")
		case match.CoordPath:
			return coordSetEnv.Has(fn) || coordRaise.Has(fn)
		}
	case *ast.AssignStmt:
		if n.Tok != token.ASSIGN {
			return false // := declares locals; x += … is not a flag
		}
		for _, lhs := range n.Lhs {
			if v, _, _ := c.globalRef(lhs); v != nil && isBool(c.info.TypeOf(lhs)) {
				return true
			}
		}
	}
	return false
}

// writesIn returns the writes of process-wide state in f: its own, those
// of the function literals in it (deferred, local helpers or opaque), and
// those of the helpers it calls, in source order.
func (c *checker) writesIn(f *function) []*write {
	var ws []*write
	litHow := make(map[*ast.FuncLit]how)
	localHelpers := make(map[*types.Var]*ast.FuncLit)
	for cur := range f.cur.Preorder((*ast.CallExpr)(nil), (*ast.AssignStmt)(nil), (*ast.FuncLit)(nil)) {
		if cur.Node() == f.node {
			continue // the function itself
		}
		if lit, ok := cur.Node().(*ast.FuncLit); ok {
			litHow[lit] = c.litHow(f, cur, litHow, localHelpers)
			continue
		}
		h, own := direct, true
		if fc, ok := nav.EnclosingFunc(cur); ok && fc.Node() != f.node {
			h, own = litHow[fc.Node().(*ast.FuncLit)], false
		}
		for _, w := range c.writesOf(f, cur) {
			w.own, w.how = own, h
			if w.how == direct && isDeferred(cur) {
				w.how = deferred
			} else if w.how == direct && isGo(cur) {
				w.how = opaque
			}
			ws = append(ws, w)
		}
		// Calls of helpers that write state: their writes happen here.
		if call, ok := cur.Node().(*ast.CallExpr); ok {
			ws = append(ws, c.helperCall(cur, call, h, localHelpers, ws)...)
		}
	}
	return ws
}

// litHow says how the code of the function literal at cur runs relative
// to f: deferred (defer func() {…}()), as a local helper (h := func()
// {…}, whose calls in f are then writes of f), or opaquely. A literal in a
// literal runs as its enclosing one does.
func (c *checker) litHow(f *function, cur inspector.Cursor, litHow map[*ast.FuncLit]how, localHelpers map[*types.Var]*ast.FuncLit) how {
	lit := cur.Node().(*ast.FuncLit)
	if fc, ok := nav.EnclosingFunc(cur.Parent()); ok && fc.Node() != f.node {
		return litHow[fc.Node().(*ast.FuncLit)] // nested: as the enclosing literal
	}
	switch p := cur.Parent().Node().(type) {
	case *ast.CallExpr:
		if p.Fun == lit {
			switch cur.Parent().Parent().Node().(type) {
			case *ast.DeferStmt:
				return deferred
			case *ast.ExprStmt:
				return direct // func() {…}(): runs here
			}
		}
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) {
			for i, rhs := range p.Rhs {
				if rhs == lit {
					if v := c.localVar(p.Lhs[i]); v != nil {
						localHelpers[v] = lit
						return local
					}
				}
			}
		}
	case *ast.ValueSpec:
		for i, rhs := range p.Values {
			if rhs == lit && i < len(p.Names) {
				if v, ok := c.info.Defs[p.Names[i]].(*types.Var); ok {
					localHelpers[v] = lit
					return local
				}
			}
		}
	}
	return opaque
}

// helperCall returns the writes that call, a call of a function of the
// package or of a local helper literal, performs: the helper's own writes
// of state that is not local to it. They happen as the call does (h, how
// the code holding the call runs); a deferred call defers them.
func (c *checker) helperCall(cur inspector.Cursor, call *ast.CallExpr, h how, localHelpers map[*types.Var]*ast.FuncLit, found []*write) []*write {
	var inner []*write
	if v := nav.VarOf(c.info, call.Fun); v != nil && localHelpers[v] != nil {
		// The literal comes before its calls: its writes are found.
		for _, w := range found {
			if nav.Within(w.node.Pos(), localHelpers[v]) {
				inner = append(inner, w)
			}
		}
	} else if fn := match.Callee(c.info, call); fn != nil {
		if _, ok := c.decls[fn]; ok {
			inner = c.helperWrites(fn)
		}
	}
	if len(inner) == 0 {
		return nil // not a helper that writes state
	}
	switch {
	case h != direct:
		// in a literal: as the literal runs
	case isDeferred(cur):
		h = deferred
	case isGo(cur):
		h = opaque
	default:
		h = helper
	}
	var ws []*write
	for _, w := range inner {
		if w.key.kind == kindRestore || w.key.kind == kindEnv && w.key.name == "" {
			continue // state local to the helper
		}
		ws = append(ws, &write{key: w.key, node: w.node, at: call, val: w.val, c: w.c, how: h, ours: -1})
	}
	return ws
}

// helperWrites returns the writes of process-wide state in the body of
// fn, a function of the package, outside its function literals.
func (c *checker) helperWrites(fn *types.Func) []*write {
	if ws, ok := c.helpers[fn]; ok {
		return ws
	}
	c.helpers[fn] = nil // a recursive helper sees none
	dcur := c.decls[fn]
	hf := newFunction(dcur)
	var ws []*write
	for cur := range dcur.Preorder((*ast.CallExpr)(nil), (*ast.AssignStmt)(nil)) {
		if fc, ok := nav.EnclosingFunc(cur); !ok || fc.Node() != hf.node {
			continue // in a literal: runs who knows when
		}
		if _, ok := cur.Parent().Node().(*ast.GoStmt); ok {
			continue // on another goroutine
		}
		// Deferred writes of a helper happen when it returns: at its call.
		ws = append(ws, c.writesOf(hf, cur)...)
	}
	c.helpers[fn] = ws
	return ws
}

// writesOf returns the writes of process-wide state that the call or
// assignment at cur performs itself, with how direct.
func (c *checker) writesOf(f *function, cur inspector.Cursor) []*write {
	switch n := cur.Node().(type) {
	case *ast.CallExpr:
		if w := c.callWrite(f, cur, n); w != nil {
			return []*write{w}
		}
	case *ast.AssignStmt:
		if n.Tok != token.ASSIGN {
			return nil // := declares locals; x += … is not a flag
		}
		var ws []*write
		for i, lhs := range n.Lhs {
			v, path, _ := c.globalRef(lhs)
			if v == nil || !isBool(c.info.TypeOf(lhs)) {
				continue // not a package-level bool
			}
			w := &write{key: key{kind: kindVar, obj: v, path: path}, node: n, at: n, val: valOther, ours: -1}
			if len(n.Lhs) == len(n.Rhs) {
				w.val, w.c = constOf(c.info, n.Rhs[i])
			}
			ws = append(ws, w)
		}
		return ws
	}
	return nil
}

// callWrite returns the write that call performs, or nil.
func (c *checker) callWrite(f *function, cur inspector.Cursor, call *ast.CallExpr) *write {
	fn := match.Callee(c.info, call)
	if fn == nil || fn.Pkg() == nil {
		return nil // a builtin, a conversion or a func value
	}
	w := &write{node: call, at: call, ours: -1}
	switch {
	case envWrites.Has(fn):
		w.key = key{kind: kindEnv}
		switch fn.Name() {
		case "Clearenv":
			w.val = valOther // every variable: no one key
			return w
		case "Unsetenv":
			w.val = valUnset
		case "Setenv":
			w.val, w.c = constOf(c.info, call.Args[1])
			if w.val == valConst && constant.StringVal(c.info.Types[call.Args[1]].Value) == "" {
				w.val = valEmpty
			}
		}
		w.key = f.envKey(c, call.Args[0])
		if fn.Name() == "Setenv" && w.key.keyed() {
			if id, ok := ast.Unparen(call.Args[1]).(*ast.Ident); ok {
				if v, ok := c.info.Uses[id].(*types.Var); ok && f.saved(c)[v] == w.key {
					w.val = valSaved
				}
			}
		}
		c.errorCheck(cur, w)
		return w
	case coordSetEnv.Has(fn) || coordRaise.Has(fn):
		// lower := f.Raise(): the state is the restore function.
		if as, ok := cur.Parent().Node().(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 && as.Rhs[0] == call {
			if v := c.localVar(as.Lhs[0]); v != nil {
				w.key = key{kind: kindRestore, obj: v}
				w.node, w.at, w.val = as, as, valConst
				return w
			}
		}
		return nil // the restore function is not kept in a local: not ours to follow
	case match.PkgPath(fn.Pkg()) != "sync/atomic":
		return nil
	}
	// sync/atomic: a method of one of the types, or a function given the
	// address of an integer.
	var target ast.Expr
	var args []ast.Expr
	op := fn.Name()
	if recv := match.Receiver(fn); recv != nil {
		isFlag := false
		for _, t := range atomicFlag {
			isFlag = isFlag || match.IsNamed(recv, "sync/atomic", t)
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !isFlag || !ok || op == "Load" {
			return nil // atomic.Value, atomic.Pointer, a load
		}
		target, args = sel.X, call.Args
	} else {
		switch {
		case atomicStores.Has(fn):
			op = "Store"
		case atomicCAS.Has(fn):
			op = "CompareAndSwap"
		case atomicOther.Has(fn):
			op = "Add"
		default:
			return nil // a load
		}
		u, ok := ast.Unparen(call.Args[0]).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return nil // an address kept elsewhere
		}
		target, args = u.X, call.Args[1:]
	}
	v, path, _ := c.globalRef(target)
	if v == nil {
		return nil // not package-level state
	}
	w.key = key{kind: kindVar, obj: v, path: path}
	w.val = valOther
	switch op {
	case "Store":
		w.val, w.c = constOf(c.info, args[0])
	case "CompareAndSwap":
		// Only as an if condition does the write have a known path.
		if old, _ := constOf(c.info, args[0]); old == valConst {
			if branch, ok := condBranch(cur); ok {
				w.val, w.c = constOf(c.info, args[1])
				w.ours = branch
			}
		}
	case "Swap":
		if isBool(c.info.TypeOf(target)) || match.IsNamed(c.info.TypeOf(target), "sync/atomic", "Bool") {
			if k, s := constOf(c.info, args[0]); k == valConst {
				if _, ok := cur.Parent().Node().(*ast.ExprStmt); ok {
					w.val, w.c = k, s // the old value is dropped: a store
				} else if branch, ok := condBranch(cur); ok {
					// if x.Swap(true) { … }: the branch on which the old
					// value was false is the one where the write changed
					// the flag.
					w.val, w.c = k, s
					w.ours = branch
					if s == "true" {
						w.ours = 1 - branch
					}
				}
			}
		}
	}
	return w
}

// errorCheck records in w the variable its error result is assigned to,
// or, when the call is compared with nil as an if condition, the branch
// on which it succeeded.
func (c *checker) errorCheck(cur inspector.Cursor, w *write) {
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == 1 && len(p.Rhs) == 1 {
			w.errVar = c.localVar(p.Lhs[0])
		}
	case *ast.BinaryExpr:
		if isNil(c.info, p.Y) && (p.Op == token.NEQ || p.Op == token.EQL) {
			if ifs, ok := cur.Parent().Parent().Node().(*ast.IfStmt); ok && ifs.Cond == p {
				w.ours = 1 // os.Setenv(k, v) != nil: it happened on the false branch
				if p.Op == token.EQL {
					w.ours = 0
				}
			}
		}
	}
}

// condBranch reports, for a call that is an if statement's condition or
// its negation, the successor on which the call returned true.
func condBranch(cur inspector.Cursor) (int, bool) {
	branch := 0
	for p := cur.Parent(); ; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ParenExpr:
			continue
		case *ast.UnaryExpr:
			if n.Op == token.NOT {
				branch = 1 - branch
				continue
			}
		case *ast.IfStmt:
			return branch, ast.Unparen(n.Cond) != nil && nav.Within(cur.Node().Pos(), n.Cond)
		}
		return 0, false
	}
}

// globalRef returns the package-level variable that e denotes, or that e
// selects fields of, with the path of fields; direct reports that no
// pointer is followed on the way, so that e denotes the same variable for
// the rest of the process.
func (c *checker) globalRef(e ast.Expr) (v *types.Var, path string, direct bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := c.info.Uses[e].(*types.Var); ok && isPackageLevel(v) {
			return v, "", true
		}
	case *ast.SelectorExpr:
		sel := c.info.Selections[e]
		if sel == nil { // pkg.V
			if v, ok := c.info.Uses[e.Sel].(*types.Var); ok && isPackageLevel(v) {
				return v, "", true
			}
			return nil, "", false
		}
		if sel.Kind() != types.FieldVal {
			return nil, "", false
		}
		v, path, direct := c.globalRef(e.X)
		if v == nil {
			return nil, "", false
		}
		return v, path + "." + e.Sel.Name, direct && !sel.Indirect()
	}
	return nil, "", false
}

// localVar returns the local variable that e, an identifier, declares or
// uses.
func (c *checker) localVar(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := c.info.ObjectOf(id).(*types.Var)
	if v == nil || !nav.IsLocal(v) {
		return nil
	}
	return v
}

func isPackageLevel(v *types.Var) bool {
	return !v.IsField() && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

func isBool(t types.Type) bool {
	b, ok := types.Unalias(t).Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

// constOf returns valConst and the exact string of e's value if e is a
// constant, else valOther.
func constOf(info *types.Info, e ast.Expr) (valKind, string) {
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return valConst, tv.Value.ExactString()
	}
	return valOther, ""
}

// isDeferred reports whether the call at cur is the call of a defer
// statement; isGo, of a go statement.
func isDeferred(cur inspector.Cursor) bool {
	_, ok := cur.Parent().Node().(*ast.DeferStmt)
	return ok
}

func isGo(cur inspector.Cursor) bool {
	_, ok := cur.Parent().Node().(*ast.GoStmt)
	return ok
}
