package halfinit

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A lockFlow says, for the statements of one function body, which locks
// are held on every path from the function's entry: a must-analysis over
// the body's control-flow graph. It is built only for functions that hold
// a candidate, or that call one.
type lockFlow struct {
	g  *cfg.CFG
	in map[*cfg.Block]lockSet // at each block's entry; absent: not reached
}

// A lockSet is the keys of the locks held, sorted: "mu", "s.mu" for
// Lock, "mu.R" for RLock.
type lockSet []string

// flow returns the lock analysis of body, building it on first use.
func (c *checker) flow(body *ast.BlockStmt) *lockFlow {
	if f, ok := c.flows[body]; ok {
		return f
	}
	f := &lockFlow{g: cfg.New(body, c.mayReturn), in: make(map[*cfg.Block]lockSet)}
	preds := make(map[*cfg.Block][]*cfg.Block)
	for _, b := range f.g.Blocks {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	entry := f.g.Blocks[0]
	f.in[entry] = lockSet{}
	work := []*cfg.Block{entry}
	for len(work) > 0 {
		b := work[0]
		work = work[1:]
		out := f.in[b]
		for _, n := range b.Nodes {
			out = c.transfer(out, n)
		}
		for _, s := range b.Succs {
			old, seen := f.in[s]
			next := out
			if seen {
				next = intersect(old, out)
				if slices.Equal(next, old) {
					continue // nothing new along this edge
				}
			}
			f.in[s] = next
			work = append(work, s)
		}
	}
	c.flows[body] = f
	return f
}

// heldAt reports whether some lock is held on every path from the
// function's entry to n, a node within the body: the graph node holding
// n, or for a statement the graph splits up (an if, a loop), the first of
// its parts. A node the graph does not reach counts as held: code that
// cannot run races with nothing.
func (f *lockFlow) heldAt(c *checker, n ast.Node) bool {
	block, index := f.locate(n)
	if block == nil {
		return true // not a statement of the graph: unsure, so silent
	}
	in, reached := f.in[block]
	if !reached {
		return true // unreachable
	}
	for _, prev := range block.Nodes[:index] {
		in = c.transfer(in, prev)
	}
	return len(in) > 0
}

// locate returns the graph node that holds n, or failing that the first
// graph node within n.
func (f *lockFlow) locate(n ast.Node) (*cfg.Block, int) {
	var (
		first      *cfg.Block
		firstIndex int
	)
	for _, b := range f.g.Blocks {
		for i, bn := range b.Nodes {
			if nav.Within(n.Pos(), bn) {
				return b, i
			}
			if n.Pos() <= bn.Pos() && bn.End() <= n.End() && (first == nil || bn.Pos() < first.Nodes[firstIndex].Pos()) {
				first, firstIndex = b, i
			}
		}
	}
	return first, firstIndex
}

// transfer applies the lock operations of node n to held.
func (c *checker) transfer(held lockSet, n ast.Node) lockSet {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false // runs elsewhere, or at the function's end
		case *ast.CallExpr:
			key, op := c.lockOp(n)
			switch op {
			case acquire:
				held = add(held, key)
			case release:
				held = remove(held, key)
			}
		}
		return true
	})
	return held
}

type lockOpKind int

const (
	noLockOp lockOpKind = iota
	acquire
	release
)

// lockOp classifies call as taking or releasing a lock, by type: a Lock,
// RLock, TryLock or TryRLock method of a type that also has the matching
// Unlock (sync.Mutex, sync.RWMutex, sync.Locker and any type shaped like
// them, embedded or not), or the matching Unlock; or a call lock(&m) of a
// function whose package also declares unlock (the runtime's own locks).
// TryLock counts as taking the lock: the code it guards runs only when it
// succeeded.
func (c *checker) lockOp(call *ast.CallExpr) (string, lockOpKind) {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		if s := c.info.Selections[fun]; s != nil {
			if s.Kind() != types.MethodVal || len(call.Args) != 0 {
				return "", noLockOp // not a method call without arguments
			}
			pair, suffix, op := lockPair(fun.Sel.Name)
			if op == noLockOp || !hasMethod(s.Recv(), pair) {
				return "", noLockOp // a Lock with no Unlock is not a lock
			}
			return types.ExprString(fun.X) + suffix, op
		}
		return c.lockFunc(call, fun.Sel)
	case *ast.Ident:
		return c.lockFunc(call, fun)
	}
	return "", noLockOp
}

// lockPair returns the method that pairs with a locking method name, the
// key suffix of its kind of lock, and what the name does.
func lockPair(name string) (pair, suffix string, op lockOpKind) {
	switch name {
	case "Lock", "TryLock", "lock":
		return "Unlock", "", acquire
	case "RLock", "TryRLock", "rlock":
		return "RUnlock", ".R", acquire
	case "Unlock", "unlock":
		return "Lock", "", release
	case "RUnlock", "runlock":
		return "RLock", ".R", release
	}
	return "", "", noLockOp
}

// lockFunc classifies a call of a package-level function lock(&m) whose
// package declares the matching unlock.
func (c *checker) lockFunc(call *ast.CallExpr, id *ast.Ident) (string, lockOpKind) {
	fn, ok := c.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Signature().Recv() != nil || len(call.Args) != 1 {
		return "", noLockOp
	}
	pair, suffix, op := lockPair(fn.Name())
	if op == noLockOp {
		return "", noLockOp
	}
	// Same case as fn: lock pairs with unlock, Lock with Unlock.
	if fn.Name()[0] >= 'a' {
		pair = string(pair[0]+'a'-'A') + pair[1:]
	}
	if _, ok := fn.Pkg().Scope().Lookup(pair).(*types.Func); !ok {
		return "", noLockOp
	}
	return "call:" + types.ExprString(call.Args[0]) + suffix, op
}

func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// mayReturn tells the graph which calls never return, so that the code
// after log.Fatal or panic is not a path.
func (c *checker) mayReturn(call *ast.CallExpr) bool {
	if nav.IsBuiltin(c.info, call, "panic") {
		return false
	}
	fn := match.Callee(c.info, call)
	return !match.IsFunc(fn, "os", "Exit") &&
		!match.IsFunc(fn, "log", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln") &&
		!match.IsFunc(fn, "runtime", "Goexit")
}

func add(s lockSet, key string) lockSet {
	i, found := slices.BinarySearch(s, key)
	if found {
		return s
	}
	return slices.Insert(slices.Clone(s), i, key)
}

func remove(s lockSet, key string) lockSet {
	i, found := slices.BinarySearch(s, key)
	if !found {
		return s
	}
	return slices.Delete(slices.Clone(s), i, i+1)
}

func intersect(a, b lockSet) lockSet {
	out := lockSet{}
	for _, k := range a {
		if _, found := slices.BinarySearch(b, k); found {
			out = append(out, k)
		}
	}
	return out
}

// lockedAt reports whether a lock is held at n on every path through the
// function that holds it, fn: its own locks, and for a literal that runs
// while the enclosing function waits (called at once, passed to a
// synchronous call), the locks held where the enclosing function runs it.
func (c *checker) lockedAt(fn inspector.Cursor, n ast.Node) bool {
	for {
		var body *ast.BlockStmt
		switch f := fn.Node().(type) {
		case *ast.FuncDecl:
			body = f.Body
		case *ast.FuncLit:
			body = f.Body
		}
		if body != nil && c.flow(body).heldAt(c, n) {
			return true
		}
		lit, isLit := fn.Node().(*ast.FuncLit)
		if !isLit || !contexts.Synchronous(c.info, fn) {
			return false
		}
		outer, ok := nav.EnclosingFunc(fn.Parent())
		if !ok {
			return false // a literal at package level
		}
		fn, n = outer, lit
	}
}
