package envflag

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/cfg"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A graph is a function's control-flow graph (go/cfg), built only for the
// functions that set and reset some state by hand.
type graph struct {
	cfg *cfg.CFG
	f   *function
}

// A loc is a node of the graph: the i'th of block b.
type loc struct {
	b *cfg.Block
	i int
}

func (l loc) node() ast.Node { return l.b.Nodes[l.i] }

func (c *checker) graphOf(f *function) *graph {
	if f.graph == nil {
		f.graph = &graph{cfg: cfg.New(f.body, func(call *ast.CallExpr) bool { return c.ending(call) == endNone }), f: f}
	}
	return f.graph
}

// locate returns the node of the graph that holds pos, or false if pos is
// in unreachable code.
func (g *graph) locate(pos token.Pos) (loc, bool) {
	for _, b := range g.cfg.Blocks {
		if !b.Live {
			continue // unreachable
		}
		for i, n := range b.Nodes {
			if n.Pos() <= pos && pos < n.End() {
				return loc{b, i}, true
			}
		}
	}
	return loc{}, false
}

// An ending says how a call that does not return ends the function.
type ending int

const (
	endNone    ending = iota // it returns
	endProcess               // the process exits: deferred calls do not run, nothing outlives it
	endPanic                 // a panic: deferred calls run, a recover may resume
	endGoexit                // runtime.Goexit, t.Fatal: deferred calls run, the process goes on
)

// noReturn lists the functions and methods that never return, by how.
var noReturn = []struct {
	api match.API
	how ending
}{
	{match.API{Pkg: "os", Names: []string{"Exit"}}, endProcess},
	{match.API{Pkg: "syscall", Names: []string{"Exit"}}, endProcess},
	{match.API{Pkg: "log", Names: []string{"Fatal", "Fatalf", "Fatalln"}}, endProcess},
	{match.API{Pkg: "log", Recv: "Logger", Names: []string{"Fatal", "Fatalf", "Fatalln"}}, endProcess},
	{match.API{Pkg: "log", Names: []string{"Panic", "Panicf", "Panicln"}}, endPanic},
	{match.API{Pkg: "log", Recv: "Logger", Names: []string{"Panic", "Panicf", "Panicln"}}, endPanic},
	{match.API{Pkg: "runtime", Names: []string{"Goexit"}}, endGoexit},
	{match.API{Pkg: "testing", Recv: "common", Names: []string{"FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf"}}, endGoexit},
	{match.API{Pkg: "testing", Recv: "TB", Names: []string{"FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf"}}, endGoexit},
	// Loggers whose Fatal exits the process, as log.Fatal does.
	{match.API{Pkg: "github.com/sirupsen/logrus", Names: []string{"Fatal", "Fatalf", "Fatalln", "Exit"}}, endProcess},
	{match.API{Pkg: "github.com/sirupsen/logrus", Recv: "Logger", Names: []string{"Fatal", "Fatalf", "Fatalln", "Exit"}}, endProcess},
	{match.API{Pkg: "github.com/sirupsen/logrus", Recv: "Entry", Names: []string{"Fatal", "Fatalf", "Fatalln"}}, endProcess},
	{match.API{Pkg: "go.uber.org/zap", Recv: "Logger", Names: []string{"Fatal"}}, endProcess},
	{match.API{Pkg: "go.uber.org/zap", Recv: "SugaredLogger", Names: []string{"Fatal", "Fatalf", "Fatalw", "Fatalln"}}, endProcess},
	{match.API{Pkg: "k8s.io/klog/v2", Names: []string{"Fatal", "Fatalf", "Fatalln", "FatalDepth", "Exit", "Exitf", "Exitln", "ExitDepth"}}, endProcess},
	{match.API{Pkg: "k8s.io/klog", Names: []string{"Fatal", "Fatalf", "Fatalln", "FatalDepth", "Exit", "Exitf", "Exitln", "ExitDepth"}}, endProcess},
	{match.API{Pkg: "github.com/golang/glog", Names: []string{"Fatal", "Fatalf", "Fatalln", "FatalDepth", "Exit", "Exitf", "Exitln", "ExitDepth"}}, endProcess},
}

// ending says whether and how call ends the function without returning.
func (c *checker) ending(call *ast.CallExpr) ending {
	if nav.IsBuiltin(c.info, call, "panic") {
		return endPanic
	}
	fn := match.Callee(c.info, call)
	if fn == nil {
		return endNone
	}
	for _, nr := range noReturn {
		if nr.api.Has(fn) {
			return nr.how
		}
	}
	return endNone
}

// An exitKind says what an exit path means for the caller.
type exitKind int

const (
	exitUnknown exitKind = iota
	exitSuccess          // return nil error, or the end of the body
	exitFailure          // return a non-nil error or false after a failure, panic, t.Fatal
)

// An exit is where a path leaves the function.
type exit struct {
	pos  token.Pos
	kind exitKind
	verb string // "returns", "panics", "exits the goroutine"
}

// A reach is what the paths from a set meet first.
type reach struct {
	resets  map[ast.Node]bool // the resets some path meets
	missing []exit            // the exits some path meets with no reset before
	again   bool              // some path meets the set again: it is in a loop
	pruned  bool              // a branch on the ok of os.LookupEnv was not followed
}

// A walker explores the paths of a graph from some nodes, each block
// once. visit is called on each node in path order and says whether the
// path goes on; succs, if set, chooses the successors to follow from a
// block that goes on; end is called on the blocks without successors that
// a path reaches the end of. stop ends the whole walk.
type walker struct {
	visit  func(ast.Node) bool
	succs  func(b *cfg.Block) []*cfg.Block
	end    func(b *cfg.Block)
	goesOn func(ast.Node) bool // for withoutSet's walkers
	stop   bool
}

func (w *walker) walk(from ...loc) {
	seen := make(map[*cfg.Block]bool)
	stack := slices.Clone(from)
	for len(stack) > 0 && !w.stop {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e.i == 0 {
			if seen[e.b] {
				continue // explored
			}
			seen[e.b] = true
		}
		goesOn := true
		for _, n := range e.b.Nodes[e.i:] {
			if goesOn = w.visit(n); !goesOn || w.stop {
				break
			}
		}
		if !goesOn || w.stop {
			continue
		}
		if len(e.b.Succs) == 0 && w.end != nil {
			w.end(e.b)
		}
		succs := e.b.Succs
		if w.succs != nil {
			succs = w.succs(e.b)
		}
		for _, s := range succs {
			stack = append(stack, loc{s, 0})
		}
	}
}

// after returns where the paths from the node at l go on: the next node,
// or, for a condition that ends its block, the successor on branch ours
// (-1: the next node, which is none, then every successor).
func after(l loc, ours int) loc {
	if ours >= 0 && l.i == len(l.b.Nodes)-1 && len(l.b.Succs) == 2 {
		return loc{l.b.Succs[ours], 0}
	}
	return loc{l.b, l.i + 1}
}

// fromSet explores the paths from set to the function's exits. A path
// ends at the first reset (resets: node → reset) it meets, or at set
// itself, in a loop. Two branches are not followed: on a set whose error
// result is checked (err := os.Setenv…), the one where err != nil, on
// which nothing was set; and on a branch on the ok of os.LookupEnv before
// an os.Unsetenv (okVars), the one where the variable was not set, so that
// unsetting it changed nothing.
func (c *checker) fromSet(g *graph, set *write, resets map[ast.Node]*write, okVars map[*types.Var]bool) reach {
	r := reach{resets: make(map[ast.Node]bool)}
	start, ok := g.locate(set.at.Pos())
	if !ok {
		return r // unreachable code
	}
	w := &walker{
		visit: func(n ast.Node) bool {
			switch ret, isRet := n.(*ast.ReturnStmt); {
			case resets[n] != nil:
				r.resets[n] = true
			case n == start.node():
				r.again = true
			case isRet:
				r.missing = append(r.missing, c.exitOf(g.f, ret))
			default:
				return true
			}
			return false
		},
		succs: func(b *cfg.Block) []*cfg.Block {
			if len(b.Succs) != 2 || len(b.Nodes) == 0 {
				return b.Succs // not an if condition
			}
			cond := b.Nodes[len(b.Nodes)-1]
			if branch, ok := c.errBranch(cond, set.errVar); ok && set.errVar != nil {
				return b.Succs[branch : branch+1] // the branch on which the set succeeded
			}
			if branch, ok := okBranch(c.info, cond, okVars); ok {
				r.pruned = true
				return b.Succs[branch : branch+1] // the branch on which the variable was set
			}
			return b.Succs
		},
		end: func(b *cfg.Block) {
			if x, ok := c.noReturnExit(b); ok {
				r.missing = append(r.missing, x)
			}
		},
	}
	w.walk(after(start, set.ours))
	return r
}

// errBranch reports, for an if condition err != nil or err == nil on
// errVar, the successor on which err is nil.
func (c *checker) errBranch(n ast.Node, errVar *types.Var) (int, bool) {
	be, ok := n.(*ast.BinaryExpr)
	if !ok || nav.VarOf(c.info, be.X) != errVar || !isNil(c.info, be.Y) {
		return 0, false
	}
	switch be.Op {
	case token.NEQ:
		return 1, true
	case token.EQL:
		return 0, true
	}
	return 0, false
}

// okBranch reports, for an if condition ok or !ok on one of okVars, the
// successor on which ok is true.
func okBranch(info *types.Info, n ast.Node, okVars map[*types.Var]bool) (int, bool) {
	branch := 0
	e, _ := n.(ast.Expr)
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		branch, e = 1, ast.Unparen(u.X)
	}
	if v := nav.VarOf(info, e); v != nil && okVars[v] {
		return branch, true
	}
	return 0, false
}

// noReturnExit returns the exit of a block that ends in a call that does
// not return, unless it ends the process.
func (c *checker) noReturnExit(b *cfg.Block) (exit, bool) {
	if len(b.Nodes) == 0 {
		return exit{}, false
	}
	es, ok := b.Nodes[len(b.Nodes)-1].(*ast.ExprStmt)
	if !ok {
		return exit{}, false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return exit{}, false
	}
	switch c.ending(call) {
	case endPanic:
		return exit{pos: call.Pos(), kind: exitFailure, verb: "panics"}, true
	case endGoexit:
		return exit{pos: call.Pos(), kind: exitFailure, verb: "exits the goroutine"}, true
	}
	return exit{}, false // the process ends: nothing is left to see the state
}

// withoutSet returns a walker of the paths from the function's entry on
// which set has not happened: up to the set, on past a condition set (if
// x.CompareAndSwap(…)) along its other branch, and on past a set whose
// error is checked along the branch where it failed. Its visit must end
// a path where goesOn says.
func (c *checker) withoutSet(g *graph, set *write) *walker {
	start, _ := g.locate(set.at.Pos())
	w := &walker{}
	w.goesOn = func(n ast.Node) bool {
		return n != start.node() || set.ours >= 0 || set.errVar != nil // past the set, the paths are the set's
	}
	w.succs = func(b *cfg.Block) []*cfg.Block {
		if len(b.Succs) != 2 || len(b.Nodes) == 0 {
			return b.Succs // not an if condition
		}
		cond := b.Nodes[len(b.Nodes)-1]
		if cond == start.node() && set.ours >= 0 {
			return b.Succs[1-set.ours : 2-set.ours] // the branch on which the set did not happen
		}
		if branch, ok := c.errBranch(cond, set.errVar); ok && set.errVar != nil {
			return b.Succs[1-branch : 2-branch] // the branch on which it failed
		}
		return b.Succs
	}
	return w
}

// exitsWithoutSet returns the positions of the exits that a path on which
// set has not happened reaches.
func (c *checker) exitsWithoutSet(g *graph, set *write) map[token.Pos]bool {
	exits := make(map[token.Pos]bool)
	w := c.withoutSet(g, set)
	w.visit = func(n ast.Node) bool {
		if ret, ok := n.(*ast.ReturnStmt); ok {
			exits[c.exitOf(g.f, ret).pos] = true
			return false
		}
		return w.goesOn(n)
	}
	w.end = func(b *cfg.Block) {
		if x, ok := c.noReturnExit(b); ok {
			exits[x.pos] = true
		}
	}
	w.walk(loc{g.cfg.Blocks[0], 0})
	return exits
}

// exitsFrom returns the exits reachable from the node after l.
func (c *checker) exitsFrom(g *graph, l loc) []exit {
	var exits []exit
	w := &walker{
		visit: func(n ast.Node) bool {
			if ret, ok := n.(*ast.ReturnStmt); ok {
				exits = append(exits, c.exitOf(g.f, ret))
			}
			return true
		},
		end: func(b *cfg.Block) {
			if x, ok := c.noReturnExit(b); ok {
				exits = append(exits, x)
			}
		},
	}
	w.walk(after(l, -1))
	return exits
}

// exitOf classifies a return statement of f.
func (c *checker) exitOf(f *function, ret *ast.ReturnStmt) exit {
	x := exit{pos: ret.Pos(), verb: "returns"}
	if ret.Return == f.body.Rbrace {
		x.kind = exitSuccess // the end of the body
		return x
	}
	last := f.lastResult(c)
	switch {
	case len(ret.Results) == 0:
		if c.inErrBranch(f, ret, nil) {
			x.kind = exitFailure
		}
	case last == nil || f.typ.Results.NumFields() != len(ret.Results):
		// return f(): whatever f returns
	case match.IsError(last):
		e := ret.Results[len(ret.Results)-1]
		switch {
		case isNil(c.info, e):
			x.kind = exitSuccess
		case nav.VarOf(c.info, e) != nil:
			if c.inErrBranch(f, ret, nav.VarOf(c.info, e)) {
				x.kind = exitFailure
			}
		default:
			x.kind = exitFailure // errors.New(…), fmt.Errorf(…), a sentinel
		}
	case isBool(last):
		if tv := c.info.Types[ret.Results[len(ret.Results)-1]]; tv.Value != nil {
			x.kind = exitFailure
			if tv.Value.ExactString() == "true" {
				x.kind = exitSuccess
			}
		}
	}
	return x
}

// inErrBranch reports whether ret is in the body of an if statement whose
// condition tests that an error (errVar, or any if nil) is not nil.
func (c *checker) inErrBranch(f *function, ret *ast.ReturnStmt, errVar *types.Var) bool {
	cur, ok := f.cur.FindNode(ret)
	if !ok {
		return false
	}
	for p := cur.Parent(); p.Node() != f.node; p = p.Parent() {
		ifs, ok := p.Node().(*ast.IfStmt)
		if !ok || !nav.Within(ret.Pos(), ifs.Body) {
			continue
		}
		found := false
		ast.Inspect(ifs.Cond, func(n ast.Node) bool {
			if be, ok := n.(*ast.BinaryExpr); ok && be.Op == token.NEQ && isNil(c.info, be.Y) &&
				match.IsError(c.info.TypeOf(be.X)) && (errVar == nil || nav.VarOf(c.info, be.X) == errVar) {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}
