package swallowcancel

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A walk follows the paths of one function's graph from the start of some
// handling — the branch taken when a ctx error is not nil, or the body of
// a case <-ctx.Done() — and records where they lead before cancellation
// is observed.
type walk struct {
	c  *checker
	fi *funcInfo
	// err is the error being handled, nil for a Done arm.
	err *types.Var
	// targets: reaching one means that the loop goes on (the call that
	// failed, or the select of the Done arm).
	targets map[ast.Node]bool
	// flags are the variables the handling assigns: a condition that
	// reads one is how the code decides to leave (for !stopped, if
	// failures > max).
	flags map[*types.Var]bool
	// region is the handling itself: nil returned there is nil-on-cancel.
	region ast.Node
	// nilResult: the function returns an error last, so that a return
	// with nil there reports success.
	nilResult bool

	// For a Done arm: assigning one of replaced ends the path (the select
	// waits on a new context next time); a call given doneCtx fails with
	// its cancellation, which the code then handles as a ctx error; and
	// a condition on one of others (the other cases' channels) waits for
	// them to drain.
	replaced map[*types.Var]bool
	doneCtx  ast.Expr
	others   []*types.Var
}

// outcome is what the paths of a walk reach, unobserved.
type outcome struct {
	loop   ast.Node        // a target: the loop goes on
	nilRet *ast.ReturnStmt // a return of a nil error in the region
	work   ast.Node        // a call given a context, whose error is not returned
}

// run walks from start.
func (w *walk) run(start *cfg.Block) outcome {
	var out outcome
	seen := map[*cfg.Block]bool{start: true}
	stack := []*cfg.Block{start}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cc, ok := b.Stmt.(*ast.CaseClause); ok && b.Kind == cfg.KindSwitchCaseBody && w.classifiedCase(cc) {
			continue // a type switch case that says which error this is
		}
		succs, ok := w.block(b, &out)
		if !ok {
			continue // the path ends or observes cancellation
		}
		for _, s := range succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return out
}

// block scans the nodes of b in order and returns the successors the path
// goes on to, or false if it ends in b.
func (w *walk) block(b *cfg.Block, out *outcome) ([]*cfg.Block, bool) {
	if rs, ok := b.Stmt.(*ast.RangeStmt); ok && b.Kind == cfg.KindRangeLoop && w.replacesAny(rs.Key, rs.Value) {
		return nil, false // the range moves to the next element: a new context
	}
	for i, n := range b.Nodes {
		if w.targets[n] {
			if out.loop == nil {
				out.loop = n
			}
			return nil, false // around the loop, back where it started
		}
		if e, ok := n.(ast.Expr); ok && i == len(b.Nodes)-1 && len(b.Succs) == 2 {
			if cd, ok := w.fi.conds[e]; ok {
				var succs []*cfg.Block
				for k, v := range [2]bool{true, false} {
					if !w.prune(w.facts(cd, v)) {
						succs = append(succs, b.Succs[k])
					}
				}
				return succs, len(succs) > 0
			}
		}
		if ret, ok := n.(*ast.ReturnStmt); ok {
			w.ret(ret, out)
			return nil, false
		}
		if w.err != nil && w.fi.propagating[n] {
			return nil, false // a call with the context that returns its error: it fails and leaves
		}
		if w.err == nil && (w.replacesIn(n) || w.callsDoneCtx(n)) {
			return nil, false // a new context, or a call that reports this one's end
		}
		if w.observes(n) {
			return nil, false // the code looks at cancellation here
		}
		if out.work == nil && w.err != nil && w.works(n) {
			out.work = n
		}
	}
	return b.Succs, true
}

// observes reports whether the node n looks at cancellation: for a Done
// arm, only a wait on another Done channel (ctx is done: it is taken);
// for an error, also ctx.Err(), errors.Is(err, context.Canceled) and the
// like, and a receive from a stop channel.
func (w *walk) observes(n ast.Node) bool {
	info := w.c.info
	if s, ok := n.(ast.Stmt); ok {
		if ch := contexts.RecvChan(s); ch != nil {
			if w.c.ctxs.IsDone(ch) || (w.err != nil && contexts.IsSignal(info, ch)) {
				return true // a wait that ends on cancellation or on the owner's stop
			}
		}
	}
	return w.err != nil && contexts.MentionsCancel(info, n, nil)
}

// replacesAny reports whether one of es, the key and value of a range,
// is a replaced variable.
func (w *walk) replacesAny(es ...ast.Expr) bool {
	for _, e := range es {
		if id, ok := e.(*ast.Ident); ok && w.replaced[w.c.info.ObjectOf(id).(*types.Var)] {
			return true
		}
	}
	return false
}

// replacesIn reports whether n assigns a replaced variable.
func (w *walk) replacesIn(n ast.Node) bool {
	for v := range w.replaced {
		if assigns(w.c.info, n, v) {
			return true
		}
	}
	return false
}

// callsDoneCtx reports whether n calls, outside function literals, a
// function that is given the Done arm's context and returns an error.
func (w *walk) callsDoneCtx(n ast.Node) bool {
	want := nav.VarOf(w.c.info, w.doneCtx)
	if want == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if arg := contexts.Arg(w.c.info, n); arg != nil && nav.VarOf(w.c.info, arg) == want && returnsError(w.c.info, n) {
				found = true
			}
		}
		return !found
	})
	return found
}

// returnsError reports whether call's last result is an error.
func returnsError(info *types.Info, call *ast.CallExpr) bool {
	switch t := info.TypeOf(call).(type) {
	case *types.Tuple:
		return t.Len() > 0 && match.IsError(t.At(t.Len()-1).Type())
	case nil:
		return false
	default:
		return match.IsError(t)
	}
}

// works reports whether n calls, outside function literals, a function
// given a cancellable context (not a logger: logging is not work).
func (w *walk) works(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // runs at another time
		case *ast.CallExpr:
			if fn := match.Callee(w.c.info, n); fn != nil && match.PkgPath(fn.Pkg()) == "log/slog" {
				return false // a log record
			}
			if w.c.givenCtx(n) {
				found = true
			}
		}
		return !found
	})
	return found
}

// ret records what a return on the path returns.
func (w *walk) ret(ret *ast.ReturnStmt, out *outcome) {
	if w.err == nil || out.nilRet != nil || !w.nilResult || len(ret.Results) == 0 {
		return // leaves; a bare return returns the named results as they are
	}
	if mentions(w.c.info, ret, w.err) {
		return // returns the error, wrapped or not
	}
	last := ret.Results[len(ret.Results)-1]
	if tv, ok := w.c.info.Types[last]; ok && tv.IsNil() && w.region != nil &&
		w.region.Pos() <= ret.Pos() && ret.End() <= w.region.End() {
		out.nilRet = ret
	}
}

// classifiedCase reports whether cc is a case of a type switch on the
// handled error that names types: the error is of one of those.
func (w *walk) classifiedCase(cc *ast.CaseClause) bool {
	ts, ok := w.fi.typeCases[cc]
	if !ok || cc.List == nil || w.err == nil {
		return false
	}
	return mentions(w.c.info, ts.Assign, w.err)
}

// facts is what a condition tells on one of its branches.
type facts struct {
	nonNil     bool // the error is not nil
	classified bool // the error is of some specific kind, not cancellation
	notCancel  bool // cancellation is excluded
	cancelled  bool // cancellation holds
	mention    bool // cancellation is looked at, with an outcome we cannot tell
	flag       bool // a flag the handling set is read
	fallback   bool // another error is nil: the code got what it needed another way
}

// prune reports whether a branch with facts f is not followed: it is not
// taken for a cancellation, or the code decides there with what it knows.
// After a Done arm, a branch taken on cancellation is followed: it must
// leave.
func (w *walk) prune(f facts) bool {
	if w.err == nil && f.cancelled {
		return false
	}
	return f.cancelled || f.classified || f.notCancel || f.mention || f.flag || f.fallback
}

// facts returns what cd tells when it evaluates to v.
func (w *walk) facts(cd cond, v bool) facts {
	if cd.tag != nil {
		// switch tag { case e: }: the case is taken when tag == e.
		return w.facts(cond{expr: &ast.BinaryExpr{X: cd.tag, Op: token.EQL, OpPos: cd.expr.Pos(), Y: cd.expr}}, v)
	}
	return w.exprFacts(cd.expr, v)
}

func (w *walk) exprFacts(e ast.Expr, v bool) facts {
	info := w.c.info
	switch e := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			return w.exprFacts(e.X, !v)
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LAND, token.LOR:
			x, y := w.exprFacts(e.X, v), w.exprFacts(e.Y, v)
			if (e.Op == token.LAND) == v {
				return x.and(y) // both hold
			}
			return x.or(y) // one of them holds
		}
	}
	var f facts
	if c, ok := contexts.CancelTest(info, e); ok {
		if c == v {
			f.cancelled = true
		} else {
			f.notCancel = true
		}
		return f
	}
	f.mention = contexts.MentionsCancel(info, e, nil) || (w.err != nil && w.condCallsCtx(e))
	for fl := range w.flags {
		if mentions(info, e, fl) {
			f.flag = true
		}
	}
	for _, ch := range w.others {
		if nav.Mentions(info, e, ch) {
			f.flag = true // if len(s.recvc) == 0: the loop drains the other cases
		}
	}
	b, isCmp := ast.Unparen(e).(*ast.BinaryExpr)
	isCmp = isCmp && (b.Op == token.EQL || b.Op == token.NEQ)
	if isCmp && w.err != nil {
		x, y := b.X, b.Y
		if isNil(info, x) {
			x, y = y, x
		}
		if id, ok := ast.Unparen(x).(*ast.Ident); ok && isNil(info, y) {
			nonNil := (b.Op == token.NEQ) == v
			switch v, _ := info.Uses[id].(*types.Var); {
			case v == w.err:
				f.nonNil = nonNil
				return f // a nil check says nothing of the kind
			case v != nil && nav.IsLocal(v) && match.IsError(v.Type()) && !nonNil:
				f.fallback = true // another error is nil here: a fallback worked
				return f
			}
		}
	}
	if w.err == nil || !mentions(info, e, w.err) {
		return f
	}
	if isCmp {
		// err == ErrX, code(err) != codes.OK: equal is one kind.
		f.classified = (b.Op == token.EQL) == v
		return f
	}
	// isTemporary(err), errors.As(err, &t), os.IsNotExist(err)…
	f.classified = v
	return f
}

// and is what holds when both f and g hold.
func (f facts) and(g facts) facts {
	return facts{
		nonNil:     f.nonNil || g.nonNil,
		classified: f.classified || g.classified,
		notCancel:  f.notCancel || g.notCancel,
		cancelled:  f.cancelled || g.cancelled,
		mention:    f.mention || g.mention,
		flag:       f.flag || g.flag,
		fallback:   f.fallback || g.fallback,
	}
}

// or is what holds when one of f and g holds, we do not know which: only
// what both say, and whether either looks at cancellation or a flag.
func (f facts) or(g facts) facts {
	return facts{
		nonNil:     f.nonNil && g.nonNil,
		classified: f.classified && g.classified,
		notCancel:  f.notCancel && g.notCancel,
		cancelled:  f.cancelled && g.cancelled,
		mention:    f.mention || g.mention || f.cancelled != g.cancelled || f.notCancel != g.notCancel,
		flag:       f.flag || g.flag,
		fallback:   f.fallback && g.fallback,
	}
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

// condCallsCtx reports whether the condition e calls a function reached by
// a cancellable context: if !sleep(ctx, d), if isHaltErr(ctx, err) — a
// helper that tells how the context is.
func (w *walk) condCallsCtx(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if w.c.reachedByCtx(n) {
				found = true
			}
		}
		return !found
	})
	return found
}
