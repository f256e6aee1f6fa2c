package swallowcancel

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A site is where a ctx error comes from and where it is handled.
type site struct {
	ifCur  inspector.Cursor
	ifs    *ast.IfStmt
	decl   *ast.DeclStmt // the declaration holding stmt, if it is a ValueSpec
	err    *types.Var
	branch int           // the successor of the condition taken when err != nil
	stmt   ast.Node      // the statement assigning err (an *ast.AssignStmt or *ast.ValueSpec)
	call   *ast.CallExpr // the call whose error it is
	ctx    contexts.Ctx  // the context the call is given
	root   contexts.Ctx  // the context the code works for (see root)
	// rootName is the variable a fix names to write root: root.Var, or
	// the base of a field (s of s.ctx).
	rootName *types.Var
}

// handler checks the if statement at cur: if it tests the error of a call
// given a cancellable context, it follows the branch taken when the error
// is not nil.
func (c *checker) handler(cur inspector.Cursor, ifs *ast.IfStmt) {
	s, ok := c.siteOf(cur, ifs)
	if !ok {
		return // not the handling of a ctx error
	}
	fn, ok := nav.EnclosingFunc(cur)
	if !ok {
		return // a package-level initializer
	}
	fi := c.funcOf(fn)
	if fi == nil {
		return
	}
	at, ok := fi.at[ifs.Cond]
	if !ok || len(at.b.Succs) != 2 {
		return // unreachable code
	}
	w := &walk{c: c, fi: fi, err: s.err, targets: map[ast.Node]bool{s.stmt: true}}
	if w.prune(w.facts(cond{expr: ifs.Cond}, s.branch == 0)) {
		return // the condition itself says which error this is, or looks at cancellation
	}
	region := c.region(cur, ifs, s.branch)
	if region == nil {
		return // else if: a chain we do not follow
	}
	w.region = region
	w.flags = assignedFlags(c.info, region, s.err)
	c.stateFlags(w.flags, s)
	results, _ := nav.Results(c.info, cur)
	w.nilResult = results != nil && results.Len() > 0 && match.IsError(results.At(results.Len()-1).Type())
	out := w.run(at.b.Succs[s.branch])
	switch {
	case out.loop != nil:
		c.reportLoop(s, region)
	case out.nilRet != nil:
		c.reportNil(s, out.nilRet, region)
	case out.work != nil && c.pass.Strict():
		c.reportWork(s, out.work, region)
	}
}

// siteOf returns the site tested by ifs, at cur: its condition tells an
// error variable from nil, and that variable is assigned — in the if's
// init or by the nearest earlier statement of the same list that assigns
// it — the error of a call given a cancellable context.
func (c *checker) siteOf(cur inspector.Cursor, ifs *ast.IfStmt) (site, bool) {
	x, branch := c.nilCheck(ifs.Cond)
	if x == nil {
		return site{}, false // no nil check of an error
	}
	var stmt ast.Stmt
	if ifs.Init != nil {
		if assigns(c.info, ifs.Init, x) {
			stmt = ifs.Init
		}
	} else if nav.InStmtList(cur) {
		for p, ok := cur.PrevSibling(); ok; p, ok = p.PrevSibling() {
			st, isStmt := p.Node().(ast.Stmt)
			if !isStmt {
				continue
			}
			if assigns(c.info, st, x) {
				stmt = st
				break
			}
			if contexts.MentionsCancel(c.info, st, nil) {
				return site{}, false // err = f(ctx); if ctx.Err() != nil { return }; if err != nil { … }
			}
		}
	}
	var (
		node ast.Node = stmt
		call *ast.CallExpr
		e    *types.Var
		decl *ast.DeclStmt
	)
	switch st := stmt.(type) {
	case *ast.AssignStmt:
		e, call = c.errAssign(st.Lhs, st.Rhs)
	case *ast.DeclStmt:
		gd := st.Decl.(*ast.GenDecl)
		if len(gd.Specs) != 1 {
			return site{}, false
		}
		vs, ok := gd.Specs[0].(*ast.ValueSpec)
		if !ok {
			return site{}, false
		}
		var lhs []ast.Expr
		for _, n := range vs.Names {
			lhs = append(lhs, n)
		}
		e, call = c.errAssign(lhs, vs.Values)
		node = vs // the graph holds the spec, not the declaration
		decl = st
	}
	if e != x || call == nil {
		return site{}, false // not err := f(…)
	}
	s := site{ifCur: cur, ifs: ifs, decl: decl, err: x, branch: branch, stmt: node, call: call}
	arg := contexts.Arg(c.info, call)
	if arg == nil {
		// stream.Recv() after stream, err := client.Watch(ctx) fails once ctx
		// ends, but msgs, err := cons.Fetch(n) after cons, err :=
		// s.CreateConsumer(ctx, cfg) does not: that context bounded the
		// creation only, and types do not say which is which.
		return site{}, false // the call is given no context
	}
	if ctx, ok := c.ctxs.Carried(arg); ok {
		s.ctx = ctx
		s.root = c.root(ctx)
		s.rootName = s.root.Var
	} else if ctx, base, ok := c.fieldCtx(arg); ok {
		s.ctx, s.root, s.rootName = ctx, ctx, base // a component's own context: w.ctx
	} else {
		return site{}, false // a context we cannot name
	}
	if !c.ctxs.CanBeCancelled(s.root) {
		return site{}, false // a context nothing cancels while we run
	}
	return s, true
}

// stmtDecl returns the statement that assigns the error: the declaration
// for var err = f(ctx), else stmt.
func (s site) stmtDecl() ast.Node {
	if s.decl != nil {
		return s.decl
	}
	return s.stmt
}

// fieldCtx returns the context that e denotes when it is a field of a
// local variable, s.ctx (or s.opts.ctx), and that variable.
func (c *checker) fieldCtx(e ast.Expr) (contexts.Ctx, *types.Var, bool) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || !isNames(sel) {
		return contexts.Ctx{}, nil, false
	}
	if s, ok := c.info.Selections[sel]; !ok || s.Kind() != types.FieldVal || !match.IsContext(s.Type()) {
		return contexts.Ctx{}, nil, false // not a field of type context.Context
	}
	b := nav.VarOf(c.info, base(sel))
	if b == nil || !nav.IsLocal(b) {
		return contexts.Ctx{}, nil, false // a package variable's field
	}
	text, ok := c.src.Text(sel.Pos(), sel.End())
	if !ok {
		return contexts.Ctx{}, nil, false
	}
	return contexts.Ctx{Expr: text, Var: c.info.Selections[sel].Obj().(*types.Var)}, b, true
}

// root returns the context that the code goes on working for when a call
// given ctx fails: ctx itself, or, when ctx is a deadline the code set on
// a context it was given (attempt, cancel := context.WithTimeout(ctx, d)),
// that context. Past the attempt's own deadline the code may retry; past
// the parent's cancellation it may not.
func (c *checker) root(ctx contexts.Ctx) contexts.Ctx {
	if ctx.FromRequest {
		return ctx
	}
	v := ctx.Var
	for range 8 { // a chain of deadlines is short; this bounds a cycle
		p, ok := c.ctxs.Bounded(v)
		if !ok {
			break
		}
		v = p
	}
	return contexts.Ctx{Expr: v.Name(), Var: v}
}

// nilCheck returns the local error variable that cond compares with nil,
// and the successor (0 for true, 1 for false) taken when it is not nil;
// or nil.
func (c *checker) nilCheck(e ast.Expr) (*types.Var, int) {
	var x *types.Var
	ast.Inspect(e, func(n ast.Node) bool {
		if x != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit, *ast.CallExpr:
			return false // a nil check inside says nothing of the condition
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			for _, sides := range [2][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
				if id, ok := ast.Unparen(sides[0]).(*ast.Ident); ok && isNil(c.info, sides[1]) {
					if v, ok := c.info.Uses[id].(*types.Var); ok && nav.IsLocal(v) && match.IsError(v.Type()) {
						x = v
					}
				}
			}
		}
		return true
	})
	if x == nil {
		return nil, 0
	}
	w := &walk{c: c, err: x}
	switch {
	case w.exprFacts(e, true).nonNil:
		return x, 0
	case w.exprFacts(e, false).nonNil:
		return x, 1
	}
	return nil, 0
}

// region returns the handling that ifs, at cur, starts on the branch
// where the error is not nil: the body, the else block, or — after
// if err == nil { …; return } — the rest of the statement list.
func (c *checker) region(cur inspector.Cursor, ifs *ast.IfStmt, branch int) ast.Node {
	if branch == 0 {
		return ifs.Body
	}
	switch e := ifs.Else.(type) {
	case *ast.BlockStmt:
		return e
	case nil:
		if !nav.InStmtList(cur) || !contexts.Leaves(ifs.Body) {
			return nil // the statements after the if run for a nil error too
		}
		var list []ast.Stmt
		for n, ok := cur.NextSibling(); ok; n, ok = n.NextSibling() {
			if st, ok := n.Node().(ast.Stmt); ok {
				list = append(list, st)
			}
		}
		if len(list) == 0 {
			return nil // nothing after the if: no handling
		}
		return &ast.BlockStmt{Lbrace: list[0].Pos(), List: list, Rbrace: list[len(list)-1].End()}
	}
	return nil // else if …
}

// assigns reports whether s assigns v anywhere, outside function literals.
func assigns(info *types.Info, s ast.Node, v *types.Var) bool {
	return assignsWithin(info, s, v, false)
}

// assignsIn reports whether the body of a function literal assigns v.
func assignsIn(info *types.Info, body *ast.BlockStmt, v *types.Var) bool {
	return assignsWithin(info, body, v, true)
}

func assignsWithin(info *types.Info, s ast.Node, v *types.Var, lits bool) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return lits
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.ObjectOf(id) == v {
					found = true
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				if info.Defs[id] == v {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// assignedFlags returns the variables other than except that region
// assigns (or increments).
func assignedFlags(info *types.Info, region ast.Node, except *types.Var) map[*types.Var]bool {
	flags := make(map[*types.Var]bool)
	ast.Inspect(region, func(n ast.Node) bool {
		var lhs []ast.Expr
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			lhs = n.Lhs
		case *ast.IncDecStmt:
			lhs = []ast.Expr{n.X}
		}
		for _, l := range lhs {
			if v := nav.VarOf(info, l); v != nil && v != except {
				flags[v] = true
			}
		}
		return true
	})
	return flags
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// kept reports whether region hands err on: assigns it (wrapped or not)
// to another variable or field, or sends it on a channel, for someone to
// see later.
func kept(info *types.Info, region ast.Node, err *types.Var) bool {
	found := false
	ast.Inspect(region, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for _, r := range n.Rhs {
				if mentions(info, r, err) && !allBlank(n.Lhs) {
					found = true
				}
			}
		case *ast.SendStmt:
			if mentions(info, n.Value, err) {
				found = true
			}
		case *ast.CallExpr:
			if handsOn(info, n, err) {
				found = true
			}
		}
		return !found
	})
	return found
}

// handsOn reports whether call passes err to a function that is neither a
// logger nor a formatter: s.onError(err), cmd.SetErr(err), failReqs(reqs,
// err) give the failure to someone who will act on it.
func handsOn(info *types.Info, call *ast.CallExpr, err *types.Var) bool {
	passed := false
	for _, a := range call.Args {
		if id, ok := ast.Unparen(a).(*ast.Ident); ok && info.Uses[id] == err {
			passed = true
		}
	}
	if !passed {
		return false
	}
	if tv, ok := info.Types[call.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return false // a conversion, append, panic…
	}
	fn := match.Callee(info, call)
	if fn == nil || match.IsLog(fn) {
		return false // a func value we cannot judge, or a logger
	}
	switch match.PkgPath(fn.Pkg()) {
	case "fmt", "errors":
		return false // formatting, wrapping, classifying
	}
	return true
}

func allBlank(lhs []ast.Expr) bool {
	for _, l := range lhs {
		if id, ok := ast.Unparen(l).(*ast.Ident); !ok || id.Name != "_" {
			return false
		}
	}
	return true
}

// reportLoop reports a handling after which the loop goes on.
func (c *checker) reportLoop(s site, region ast.Node) {
	if !c.ctxs.CanBeCancelled(s.root) {
		return // the failing call's deadline is its own, on a context nothing else cancels
	}
	loop, inLoop := nav.EnclosingLoop(s.ifCur)
	if inLoop {
		if nav.Within(s.rootName.Pos(), loop.Node()) {
			return // a context made for each attempt: going on after it ends is the point
		}
		if !endless(c.info, s.ifCur) {
			if !c.pass.Strict() || kept(c.info, region, s.err) || declaredOutside(s.err, loop.Node()) {
				return // a finite loop: it fails fast to its end (strict: unless the errors are kept)
			}
		}
	}
	d := analysis.Diagnostic{
		Pos: s.ifs.Cond.Pos(),
		End: s.ifs.Cond.End(),
		Message: fmt.Sprintf("the error of %s, which is given %s, is handled and the loop goes on, also once %s is cancelled: return it when %s",
			callName(c.info, s.call), s.ctx.Expr, s.root.Expr, guardName(s)),
		Related: []analysis.RelatedInformation{{Pos: s.call.Pos(), End: s.call.End(), Message: "the call"}},
	}
	if f := c.guardFix(s, region); f != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*f}
	}
	c.pass.Report(ruleSwallowed, d)
}

// reportNil reports a nil error returned for a ctx error.
func (c *checker) reportNil(s site, ret *ast.ReturnStmt, region ast.Node) {
	if !s.root.FromRequest && (s.rootName != s.root.Var || !c.ctxs.FromCaller(s.root.Var)) {
		return // a context of the function's or the component's own making: its caller cancels nothing
	}
	if kept(c.info, region, s.err) {
		return // the error is kept for someone to see
	}
	for _, r := range ret.Results[:len(ret.Results)-1] {
		if !isZero(c.info, r) {
			return // a result got another way: a fallback, a cached value
		}
	}
	d := analysis.Diagnostic{
		Pos: ret.Pos(),
		End: ret.End(),
		Message: fmt.Sprintf("nil error returned when %s fails, also when %s is cancelled: the caller sees success for work that was not done; return the error when %s",
			callName(c.info, s.call), s.root.Expr, guardName(s)),
		Related: []analysis.RelatedInformation{{Pos: s.call.Pos(), End: s.call.End(), Message: "the call"}},
	}
	if f := c.guardFix(s, region); f != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*f}
	}
	c.pass.Report(ruleNil, d)
}

// reportWork reports, in the strict profile, a handling after which the
// code goes on working with the same context.
func (c *checker) reportWork(s site, work ast.Node, region ast.Node) {
	d := analysis.Diagnostic{
		Pos: s.ifs.Cond.Pos(),
		End: s.ifs.Cond.End(),
		Message: fmt.Sprintf("the error of %s, which is given %s, is handled and the code goes on working with %s, also once it is cancelled: return it when %s",
			callName(c.info, s.call), s.ctx.Expr, s.root.Expr, guardName(s)),
		Related: []analysis.RelatedInformation{{Pos: work.Pos(), End: work.End(), Message: "more work with the context"}},
	}
	if f := c.guardFix(s, region); f != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*f}
	}
	c.pass.Report(ruleSwallowed, d)
}

// endless reports whether a loop around cur, in its function, has no
// condition (for { … }, or for ; true; ): only a return or break ends it,
// so a failure that comes back every time keeps it going for ever.
func endless(info *types.Info, cur inspector.Cursor) bool {
	for l, ok := nav.EnclosingLoop(cur); ok; l, ok = nav.EnclosingLoop(l) {
		if f, isFor := l.Node().(*ast.ForStmt); isFor {
			if f.Cond == nil {
				return true
			}
			if tv, ok := info.Types[f.Cond]; ok && tv.Value != nil && tv.Value.String() == "true" {
				return true
			}
		}
	}
	return false
}

// stateFlags adds to flags the variables that change on every pass
// round the loop besides the failing call: those assigned between the
// call and its check (ft.attempts++), and in the post statements of the
// enclosing for loops (attempt++). A condition that reads one is how the
// loop bounds its attempts.
func (c *checker) stateFlags(flags map[*types.Var]bool, s site) {
	if s.ifs.Init == nil {
		for p, ok := s.ifCur.PrevSibling(); ok && p.Node() != ast.Node(s.stmt) && p.Node() != s.stmtDecl(); p, ok = p.PrevSibling() {
			for v := range assignedFlags(c.info, p.Node(), s.err) {
				flags[v] = true
			}
		}
	}
	postFlags(c.info, s.ifCur, flags)
}

// postFlags adds to flags the variables that the post statements of the
// for loops around cur assign: i++ counts the attempts.
func postFlags(info *types.Info, cur inspector.Cursor, flags map[*types.Var]bool) {
	for l, ok := nav.EnclosingLoop(cur); ok; l, ok = nav.EnclosingLoop(l) {
		if f, isFor := l.Node().(*ast.ForStmt); isFor && f.Post != nil {
			for v := range assignedFlags(info, f.Post, nil) {
				flags[v] = true
			}
		}
	}
}

// declaredOutside reports whether v outlives loop: the last error of a
// failover over a list, returned after it.
func declaredOutside(v *types.Var, loop ast.Node) bool {
	return !nav.Within(v.Pos(), loop)
}

// guardName is the guard the messages name.
func guardName(s site) string {
	return "cancel.Of(" + s.root.Expr + ", " + s.err.Name() + ")"
}

// callName names the function call calls, for messages: f, s.fetch,
// w.queue.Pop, as written when it is a name or a selection of names, else
// the function's name.
func callName(info *types.Info, call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	if isNames(fun) {
		return types.ExprString(fun)
	}
	if fn := match.Callee(info, call); fn != nil {
		return fn.Name()
	}
	return "the call"
}

// isZero reports whether e is written as a zero value: nil, 0, "", false,
// or an empty composite literal.
func isZero(info *types.Info, e ast.Expr) bool {
	e = ast.Unparen(e)
	if lit, ok := e.(*ast.CompositeLit); ok {
		return len(lit.Elts) == 0
	}
	tv, ok := info.Types[e]
	if !ok {
		return false
	}
	if tv.IsNil() {
		return true
	}
	if tv.Value == nil {
		return false
	}
	switch tv.Value.Kind() {
	case constant.Bool:
		return !constant.BoolVal(tv.Value)
	case constant.String:
		return constant.StringVal(tv.Value) == ""
	case constant.Int, constant.Float, constant.Complex:
		return constant.Sign(tv.Value) == 0
	}
	return false
}
