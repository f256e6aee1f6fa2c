package fireforget

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
)

// A goroutine that nothing waits for is a hazard of the default rule only
// if it keeps running: its function, or one it calls, has a loop that waits
// for something — a channel, a timer, a listener — and so runs until
// something stops it. A goroutine that makes a call and ends (go
// conn.Close(), go feed.Send(ev), a finite loop over a snapshot) ends by
// itself, and so does one that reads a stream to its end (a connection's
// handler, a log pump): its peer or its EOF ends it. The strict profile
// reports them all the same.
//
// A function body
//
//   - blocks when it receives, sends or selects on a channel, sleeps, waits
//     on a sync.Cond or WaitGroup, accepts on a net.Listener, or calls a
//     function that runs;
//   - runs when it has a loop that may not end by itself — a for loop with
//     no condition, or one that is neither a comparison nor a reading of the
//     clock (for !done, for next()), or a range over a channel — whose body
//     blocks or calls a function of the package that blocks, or when it
//     calls a function that runs.
//
// Both are computed for the package's functions in a fixed point; runs
// reaches other packages through funcFact (http.Server.Serve runs: its
// loop accepts). Blocking is followed one call deep, and not out of the
// package: a loop that calls s.next(), which selects, waits in each
// round; but a wait somewhere down a long call chain happens on a rare
// path, if at all (package runtime's Caller reaches a receive that waits
// for a cgo program's initialisation), and would make every loop that
// calls fmt or log run.

// runsProps holds the properties of the package's declared functions.
type runsProps struct {
	blocks, runs map[*types.Func]bool
	// While findRuns evaluates the body of fn, callers records fn as a
	// caller of each function of the package whose properties it reads.
	evaluating *types.Func
	callers    map[*types.Func]map[*types.Func]bool
}

// findRuns computes the properties of the package's declared functions:
// a function's properties depend on those of the functions it calls,
// possibly declared later, so they are the least fixed point of the
// bodies' equations. The properties only ever turn true and a body's
// depend monotonically on its callees', so a worklist reaches the same
// fixed point as re-walking every body until nothing changes, but walks a
// body again only when a function it calls changed: most functions
// neither block nor run, and most bodies are walked once.
func (c *checker) findRuns() {
	c.props = runsProps{
		blocks:  make(map[*types.Func]bool),
		runs:    make(map[*types.Func]bool),
		callers: make(map[*types.Func]map[*types.Func]bool),
	}
	if !c.mayRun {
		return // nothing in the package can run (see checker.mayRun)
	}
	work := make([]*types.Func, 0, len(c.decls))
	queued := make(map[*types.Func]bool, len(c.decls))
	for fn := range c.decls {
		work = append(work, fn)
		queued[fn] = true
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		queued[fn] = false
		c.props.evaluating = fn
		blocks, runs := c.bodyRuns(c.decls[fn].Body)
		if blocks && !c.props.blocks[fn] || runs && !c.props.runs[fn] {
			c.props.blocks[fn] = c.props.blocks[fn] || blocks
			c.props.runs[fn] = c.props.runs[fn] || runs
			for caller := range c.props.callers[fn] {
				if !queued[caller] {
					queued[caller] = true
					work = append(work, caller)
				}
			}
		}
	}
	c.props.evaluating, c.props.callers = nil, nil
}

// funcRuns reports whether fn runs and, for a function of the package,
// whether it blocks.
func (c *checker) funcRuns(fn *types.Func) (blocks, runs bool) {
	if fn == nil {
		return false, false // a function value: unknown
	}
	if fn.Pkg() == c.pass.Pkg {
		if caller := c.props.evaluating; caller != nil {
			if c.props.callers[fn] == nil {
				c.props.callers[fn] = make(map[*types.Func]bool)
			}
			c.props.callers[fn][caller] = true
		}
		return c.props.blocks[fn], c.props.runs[fn]
	}
	var f funcFact
	if c.pass.ImportObjectFact(fn, &f) {
		return f.Runs, f.Runs
	}
	return false, false
}

// bodyRuns reports whether body, outside the goroutines it starts and the
// function literals it does not call at once, blocks and runs.
func (c *checker) bodyRuns(body ast.Node) (blocks, runs bool) {
	// walk reports whether n blocks; inLoop says n is a loop's body, where
	// a call of a function of the package that blocks blocks too.
	var walk func(n ast.Node, inLoop bool) bool
	// once walks statements that end by leaving the function: in a loop
	// they run at most once, so what they wait for is not a wait of each
	// round (a drain loop's final send before it returns), but a function
	// they call that runs still runs.
	once := func(list []ast.Stmt) {
		for _, st := range list {
			walk(st, false)
		}
	}
	walk = func(n ast.Node, inLoop bool) bool {
		found := false
		ast.Inspect(n, func(m ast.Node) bool {
			switch m := m.(type) {
			case *ast.GoStmt, *ast.FuncLit:
				// Another goroutine's body, or a literal run later (one
				// called at once is walked below).
				return false
			case *ast.DeferStmt:
				// It runs as the function ends: its waits are cleanup, and
				// singleflight's select {} after a re-panic keeps a
				// crashing goroutine for the dump.
				return false
			case *ast.BlockStmt:
				if inLoop && m != n && endsInReturn(m.List) {
					once(m.List)
					return false
				}
			case *ast.CaseClause:
				if inLoop && endsInReturn(m.Body) {
					once(m.Body)
					return false
				}
			case *ast.CallExpr:
				if lit, ok := ast.Unparen(m.Fun).(*ast.FuncLit); ok && walk(lit.Body, inLoop) {
					found = true // func() { … }()
				}
				if c.callBlocks(m, inLoop, &runs) {
					found = true
				}
			case *ast.UnaryExpr:
				found = found || m.Op == token.ARROW
			case *ast.SendStmt:
				found = true
			case *ast.SelectStmt:
				if len(m.Body.List) == 0 {
					runs = true // select {}: blocks for ever
				}
				if hasDefault(m) {
					// It polls and goes on: only its clauses' bodies can wait.
					for _, cc := range m.Body.List {
						body := cc.(*ast.CommClause).Body
						if inLoop && endsInReturn(body) {
							once(body)
							continue
						}
						for _, st := range body {
							if walk(st, inLoop) {
								found = true
							}
						}
					}
					return false // walked
				}
				found = true
			case *ast.ForStmt:
				if unboundedFor(c.info, m) {
					if walk(m.Body, true) {
						found = true
						runs = runs || !answers(c.info, m.Body) && !endsWithContext(c.info, m.Body) && !handsOff(m.Body)
					}
					return false // walked
				}
			case *ast.RangeStmt:
				if isChan(c.info.TypeOf(m.X)) {
					found = true // waits for each value, until the channel is closed
					runs = runs || !answers(c.info, m.Body)
				}
			}
			return true
		})
		return found
	}
	blocks = walk(body, false)
	return blocks, runs
}

// callBlocks reports whether call blocks — it waits, calls a function
// that runs or, inLoop, a function of the package that blocks — and sets
// *runs when it calls a function that runs.
func (c *checker) callBlocks(call *ast.CallExpr, inLoop bool, runs *bool) bool {
	fn := match.Callee(c.info, call)
	switch {
	case fn == nil:
		return false // a builtin, a conversion or a func value: unknown
	case match.IsFunc(fn, "time", "Sleep"),
		match.IsMethod(fn, "sync", "Cond", "Wait"),
		match.IsMethod(fn, "sync", "WaitGroup", "Wait"),
		match.IsMethod(fn, "net", "Listener", "Accept"),
		match.IsMethod(fn, "net", "TCPListener", "Accept", "AcceptTCP"),
		match.IsMethod(fn, "net", "UnixListener", "Accept", "AcceptUnix"):
		return true
	}
	blocks, r := c.funcRuns(fn)
	*runs = *runs || r
	return inLoop && blocks || r
}

// unboundedFor reports whether the for loop may run until something stops
// it: it has no condition, or one that is neither a comparison (a counter,
// a length, a list walk) nor a reading of the clock (a deadline).
func unboundedFor(info *types.Info, f *ast.ForStmt) bool {
	if f.Cond == nil {
		return true
	}
	if f.Post != nil {
		return false // a counting loop
	}
	if b, ok := ast.Unparen(f.Cond).(*ast.BinaryExpr); ok {
		switch b.Op {
		case token.LSS, token.LEQ, token.GTR, token.GEQ, token.EQL, token.NEQ, token.LAND, token.LOR:
			return false // a comparison
		}
	}
	clock := false
	ast.Inspect(f.Cond, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if fn := match.Callee(info, call); fn != nil && match.PkgPath(fn.Pkg()) == "time" {
				clock = true // for time.Now().Before(deadline)
			}
		}
		return !clock
	})
	return !clock
}

// endsInReturn reports whether the statements end with a return.
func endsInReturn(list []ast.Stmt) bool {
	if len(list) == 0 {
		return false
	}
	_, ok := list[len(list)-1].(*ast.ReturnStmt)
	return ok
}

// handsOff reports whether the loop whose body is body returns once a
// send of its select goes through (case ch <- ev: return): it waits to
// hand one value over, retrying what blocks it, and ends with that.
func handsOff(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CommClause:
			if _, ok := n.Comm.(*ast.SendStmt); ok && endsInReturn(n.Body) {
				found = true
			}
		}
		return !found
	})
	return found
}

// endsWithContext reports whether the loop whose body is body returns
// once a context is done: a case <-ctx.Done() that returns, or if
// ctx.Err() != nil { return }. Such a loop lives as long as the context
// it watches (http.Server.Shutdown polls until its ctx expires), and a
// goroutine handed a context is bounded by whoever cancels it.
func endsWithContext(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CommClause:
			if n.Comm != nil && contexts.IsDoneRecv(info, n.Comm) && endsInReturn(n.Body) {
				found = true
			}
		case *ast.IfStmt:
			if endsInReturn(n.Body.List) && callsErr(info, n.Cond) {
				found = true
			}
		}
		return !found
	})
	return found
}

// callsErr reports whether e calls the Err method of a context.Context.
func callsErr(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && match.IsMethod(match.Callee(info, call), "context", "Context", "Err") {
			found = true
		}
		return !found
	})
	return found
}

// hasDefault reports whether the select has a default clause: it waits
// for none of its cases.
func hasDefault(sel *ast.SelectStmt) bool {
	for _, cc := range sel.Body.List {
		if cc.(*ast.CommClause).Comm == nil {
			return true
		}
	}
	return false
}

// answers reports whether the loop whose body is body returns a value
// other than an error: it waits for an answer — a dial's first
// connection, the reply to a request, the next message — and ends with
// it, as net's dialParallel does (for { select { case res := <-results:
// return res.Conn, nil … } }). A loop that keeps running returns only
// when it is stopped, and then at most an error: Serve, a read loop.
func answers(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function's returns
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if tv, ok := info.Types[r]; ok && tv.Value == nil && !tv.IsNil() && !isError(tv.Type) {
					found = true // a value computed in the loop, not a constant
				}
			}
		}
		return !found
	})
	return found
}

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// startRuns reports whether the goroutine that s starts keeps running, as
// far as its function can be seen: a literal's body, a declared function of
// the package, or another package's function through its fact.
func (c *checker) startRuns(s *start) bool {
	if s.impl != nil {
		_, runs := c.bodyRuns(s.impl.Body)
		return runs
	}
	_, runs := c.funcRuns(s.fn)
	return runs
}
