package fireforget

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
)

// state is how a launcher starts its argument, worst first.
type state uint8

const (
	stateUntracked state = iota // nothing waits for it or can stop it
	stateBounded                // it can be stopped, but nothing waits for it
	stateDaemon                 // it lives as long as the process by design
	stateWaited                 // something waits for it
)

func (s state) String() string {
	switch s {
	case stateUntracked:
		return "untracked"
	case stateBounded:
		return "bounded"
	case stateDaemon:
		return "daemon"
	}
	return "waited"
}

// A launcherFact marks a function that starts one of its func-typed
// parameters on a goroutine, and says how.
type launcherFact struct {
	Param int    // index of the parameter started
	Name  string // its name, for String
	State state
}

func (*launcherFact) AFact() {}

func (f *launcherFact) String() string { return fmt.Sprintf("launches %s %s", f.Name, f.State) }

// A funcFact says what a function does that matters to the goroutine that
// runs or defers it: it calls recover itself, so deferring it recovers a
// panic (Recovers); its body defers such a call, so a panic in it does not
// escape (Guarded); it counts a goroutine done, by (*sync.WaitGroup).Done,
// by closing an io.PipeWriter or by signalling a sync.Cond (Joins); it
// keeps running until stopped (Runs, for exported names only: no other
// package can call the rest).
type funcFact struct {
	Recovers bool
	Guarded  bool
	Joins    bool
	Runs     bool // it keeps running until something stops it (see runs.go)
}

func (*funcFact) AFact() {}

func (f *funcFact) String() string {
	var s []string
	if f.Recovers {
		s = append(s, "recovers")
	}
	if f.Guarded {
		s = append(s, "guarded")
	}
	if f.Joins {
		s = append(s, "joins")
	}
	if f.Runs {
		s = append(s, "runs")
	}
	return strings.Join(s, ", ")
}

// launcherOf returns fn's launcher fact, or nil.
func (c *checker) launcherOf(fn *types.Func) *launcherFact {
	if fn == nil {
		return nil // not a static call
	}
	if fn.Pkg() == c.pass.Pkg {
		return c.launchers[fn]
	}
	f := new(launcherFact)
	if c.pass.ImportObjectFact(fn, f) {
		return f
	}
	return nil
}

// passesFunc reports whether call passes an argument of func type: only
// such a call can start a function on a goroutine.
func passesFunc(info *types.Info, call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if t := info.TypeOf(a); t != nil {
			if _, ok := t.Underlying().(*types.Signature); ok {
				return true
			}
		}
	}
	return false
}

// trackedArg returns the function argument of a call of a starter that
// always waits for what it starts: task.Go, (*task.Group).Go,
// (*errgroup.Group).Go and TryGo, (*sync.WaitGroup).Go.
func trackedArg(info *types.Info, call *ast.CallExpr) ast.Expr {
	fn := match.Callee(info, call)
	i := -1
	switch {
	case match.TaskGo.Has(fn):
		i = 2
	case match.TaskGroupGo.Has(fn):
		i = 1
	case match.ErrgroupGo.Has(fn), match.WaitGroupGo.Has(fn):
		i = 0
	}
	if i < 0 || i >= len(call.Args) {
		return nil
	}
	return call.Args[i]
}

// findLaunchers finds the launchers of this package and exports their
// facts. A function becomes a launcher by calling another, possibly one
// declared later in the package, so it repeats until nothing changes.
func (c *checker) findLaunchers(gos, calls []inspector.Cursor) {
	for range len(c.decls) + 1 {
		found := make(map[*types.Func]*launcherFact)
		consider := func(cur inspector.Cursor, started ast.Expr, st func() state) {
			fn, params := c.enclosingDecl(cur)
			if fn == nil {
				return // not inside a declared function
			}
			i := c.startedParam(started, params)
			if i < 0 {
				return // it starts no parameter
			}
			s := st()
			if f := found[fn]; f == nil || s < f.State {
				found[fn] = &launcherFact{Param: i, Name: params.At(i).Name(), State: s}
			}
		}
		for _, cur := range gos {
			consider(cur, cur.Node().(*ast.GoStmt).Call.Fun, func() state { return c.stateOf(c.goStart(cur)) })
		}
		for _, cur := range calls {
			call := cur.Node().(*ast.CallExpr)
			if a := trackedArg(c.info, call); a != nil {
				consider(cur, a, func() state { return stateWaited })
				continue // a tracked start
			}
			if s := c.launcherStart(cur); s != nil {
				consider(cur, s.fun, func() state {
					if s.state != stateUntracked {
						return s.state
					}
					return c.stateOf(s)
				})
			}
		}
		if sameFacts(found, c.launchers) {
			break // nothing new
		}
		c.launchers = found
	}
	for fn, f := range c.launchers {
		c.pass.ExportObjectFact(fn, f)
	}
}

func (c *checker) stateOf(s *start) state {
	switch v := c.classify(s); {
	case v.waited:
		return stateWaited
	case v.lifetime:
		return stateDaemon
	case v.bounded:
		return stateBounded
	}
	return stateUntracked
}

func sameFacts(a, b map[*types.Func]*launcherFact) bool {
	if len(a) != len(b) {
		return false
	}
	for fn, f := range a {
		if g := b[fn]; g == nil || *g != *f {
			return false
		}
	}
	return true
}

// enclosingDecl returns the declared function around cur and its
// parameters.
func (c *checker) enclosingDecl(cur inspector.Cursor) (*types.Func, *types.Tuple) {
	for d := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		fn, ok := c.info.Defs[d.Node().(*ast.FuncDecl).Name].(*types.Func)
		if !ok {
			return nil, nil
		}
		return fn, fn.Signature().Params()
	}
	return nil, nil
}

// startedParam returns the index of the func-typed parameter among params
// that started runs: the parameter itself, or a function literal that
// calls it. It returns -1 if there is none.
func (c *checker) startedParam(started ast.Expr, params *types.Tuple) int {
	index := func(id *ast.Ident) int {
		obj := c.info.Uses[id]
		for i := range params.Len() {
			p := params.At(i)
			if p == obj {
				// A ...func() parameter has slice type: starting one of
				// many functions is out of scope.
				if _, ok := p.Type().Underlying().(*types.Signature); ok {
					return i
				}
			}
		}
		return -1
	}
	switch e := ast.Unparen(started).(type) {
	case *ast.Ident:
		return index(e)
	case *ast.FuncLit:
		found := -1
		ast.Inspect(e.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				return false // another goroutine
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && found < 0 {
					found = index(id)
				}
			}
			return found < 0
		})
		return found
	}
	return -1
}
