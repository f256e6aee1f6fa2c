package swallowcancel

import (
	_ "embed"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

//go:embed doc.go
var doc string

// Analyzer reports cancellation that error handling swallows: errors of
// calls given a cancellable context that are handled as if they were any
// other failure, select arms on ctx.Done() that do not leave, and
// comparisons with context.Canceled that miss wrapped errors.
var Analyzer = lint.New(lint.Spec{
	Name:         "swallowcancel",
	Doc:          doc,
	Rules:        []*lint.Rule{ruleSwallowed, ruleDone, ruleNil, ruleCompare},
	RuntimeFixes: true,
	Requires:     []*analysis.Analyzer{inspect.Analyzer},
	Run:          run,
})

// The rules; docs/precision.md has the measurements behind their defaults.
// All are off by default and on in the strict profile, whose policy is
// that cancellation is never swallowed.
var (
	ruleSwallowed = &lint.Rule{Name: "swallowed", Strict: true, Since: "v0.2.0"}
	ruleDone      = &lint.Rule{Name: "done-ignored", Strict: true, Since: "v0.2.0"}
	ruleNil       = &lint.Rule{Name: "nil-on-cancel", Strict: true, Since: "v0.2.0"}
	ruleCompare   = &lint.Rule{Name: "compare", Strict: true, Since: "v0.2.0"}
)

func run(pass *lint.Pass) (any, error) {
	// Every rule is about a context.Context value or context's sentinels;
	// a ctx in scope needs package context or r.Context() of net/http.
	if !match.Imports(pass.Pkg, "context", "net/http") {
		return nil, nil // no context can be in scope here
	}
	if !pass.AnyEnabled(ruleSwallowed, ruleDone, ruleNil, ruleCompare) {
		return nil, nil // nothing to report
	}
	if match.PkgPath(pass.Pkg) == "context" || match.PkgPath(pass.Pkg) == "errors" {
		return nil, nil // the packages that define cancellation and errors.Is
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	src := fix.NewSource(pass.Pass)
	pkg := &pkgInfo{info: pass.TypesInfo, files: pass.Files, pkg: pass.Pkg}
	handlers := pass.AnyEnabled(ruleSwallowed, ruleNil)
	for fcur := range insp.Root().Children() {
		file := fcur.Node().(*ast.File)
		if !pass.Reportable(file.Package) {
			continue // generated, or a test file without -swallowcancel.tests
		}
		c := &checker{
			pass:  pass,
			info:  pass.TypesInfo,
			file:  file,
			ctxs:  contexts.NewFile(pass.TypesInfo, fcur),
			src:   src,
			pkg:   pkg,
			funcs: make(map[ast.Node]*funcInfo),
		}
		for cur := range fcur.Preorder((*ast.IfStmt)(nil), (*ast.CommClause)(nil), (*ast.BinaryExpr)(nil), (*ast.SwitchStmt)(nil)) {
			switch n := cur.Node().(type) {
			case *ast.IfStmt:
				if handlers {
					c.handler(cur, n)
				}
			case *ast.CommClause:
				if pass.Enabled(ruleDone) {
					c.doneArm(cur, n)
				}
			case *ast.BinaryExpr:
				if pass.Enabled(ruleCompare) {
					c.compare(cur, n)
				}
			case *ast.SwitchStmt:
				if pass.Enabled(ruleCompare) {
					c.compareSwitch(cur, n)
				}
			}
		}
	}
	return nil, nil
}

// checker holds what the checks of one file share.
type checker struct {
	pass  *lint.Pass
	info  *types.Info
	file  *ast.File
	ctxs  *contexts.File
	src   *fix.Source
	pkg   *pkgInfo
	funcs map[ast.Node]*funcInfo // by *ast.FuncDecl or *ast.FuncLit, built on first use
}

// pkgInfo is what the files of a package share: which of its functions
// never return.
type pkgInfo struct {
	info  *types.Info
	files []*ast.File
	pkg   *types.Package
	decls map[*types.Func]*ast.FuncDecl // built on first use
	// noReturn memoises neverReturns: absent, unknown; in progress (a
	// recursion), assumed to return.
	noReturn map[*types.Func]bool
}

// mayReturn reports whether call may return to its caller: it is not a
// known function that never does (match.NoReturn), nor a function of this
// package whose every path ends in one (func (ev *evaluator) error(err
// error) { panic(err) }).
func (p *pkgInfo) mayReturn(call *ast.CallExpr) bool {
	if match.NoReturn(p.info, call) {
		return false
	}
	fn := match.Callee(p.info, call)
	return fn == nil || fn.Pkg() != p.pkg || !p.neverReturns(fn)
}

func (p *pkgInfo) neverReturns(fn *types.Func) bool {
	if nr, ok := p.noReturn[fn]; ok {
		return nr
	}
	if p.decls == nil {
		p.decls = make(map[*types.Func]*ast.FuncDecl)
		p.noReturn = make(map[*types.Func]bool)
		for _, f := range p.files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					if obj, ok := p.info.Defs[fd.Name].(*types.Func); ok {
						p.decls[obj] = fd
					}
				}
			}
		}
	}
	fd, ok := p.decls[fn]
	if !ok {
		return false // no body here: assume it returns
	}
	p.noReturn[fn] = false // while in progress: a recursive call returns
	nr := cfg.New(fd.Body, p.mayReturn).NoReturn()
	p.noReturn[fn] = nr
	return nr
}

// funcInfo is the control-flow graph of one function body, indexed by the
// syntax the rules start from.
type funcInfo struct {
	g  *cfg.CFG
	at map[ast.Node]nodeAt // every node of a live block
	// conds are the expressions that decide a conditional block: if and
	// for conditions as they are, switch cases as tag == case.
	conds map[ast.Expr]cond
	// typeCases are the clauses of type switches, by their body's block.
	typeCases map[*ast.CaseClause]*ast.TypeSwitchStmt
	arms      map[*ast.CommClause]*cfg.Block // select arms' bodies
	// propagating are statements that call a function with a context and
	// return its error when there is one: after cancellation, they leave.
	propagating map[ast.Node]bool
}

// nodeAt is where a node is in the graph.
type nodeAt struct {
	b *cfg.Block
	i int
}

// cond is the expression a conditional block tests: expr itself, or
// tag == expr for the case of a switch with a tag.
type cond struct {
	expr, tag ast.Expr
}

// funcOf returns the graph of the function fn (a *ast.FuncDecl or
// *ast.FuncLit), or nil if it has no body.
func (c *checker) funcOf(fn inspector.Cursor) *funcInfo {
	if fi, ok := c.funcs[fn.Node()]; ok {
		return fi
	}
	var body *ast.BlockStmt
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		body = n.Body
	case *ast.FuncLit:
		body = n.Body
	}
	if body == nil {
		c.funcs[fn.Node()] = nil
		return nil // an external function
	}
	fi := &funcInfo{
		g:           cfg.New(body, c.pkg.mayReturn),
		at:          make(map[ast.Node]nodeAt),
		conds:       make(map[ast.Expr]cond),
		typeCases:   make(map[*ast.CaseClause]*ast.TypeSwitchStmt),
		arms:        make(map[*ast.CommClause]*cfg.Block),
		propagating: make(map[ast.Node]bool),
	}
	for _, b := range fi.g.Blocks {
		if !b.Live {
			continue // unreachable code: no path starts or passes there
		}
		for i, n := range b.Nodes {
			fi.at[n] = nodeAt{b, i}
		}
		if cc, ok := b.Stmt.(*ast.CommClause); ok && b.Kind == cfg.KindSelectCaseBody {
			fi.arms[cc] = b
		}
	}
	c.index(fi, body)
	c.funcs[fn.Node()] = fi
	return fi
}

// index records the conditions, type switch clauses and propagating
// calls of body, outside function literals (they have graphs of their own).
func (c *checker) index(fi *funcInfo, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function
		case *ast.IfStmt:
			fi.conds[n.Cond] = cond{expr: n.Cond}
			if n.Init != nil && c.propagates(n.Init, n) {
				fi.propagating[n.Init] = true
			}
		case *ast.ForStmt:
			if n.Cond != nil {
				fi.conds[n.Cond] = cond{expr: n.Cond}
			}
		case *ast.SwitchStmt:
			for _, s := range n.Body.List {
				for _, e := range s.(*ast.CaseClause).List {
					fi.conds[e] = cond{expr: e, tag: n.Tag}
				}
			}
		case *ast.TypeSwitchStmt:
			for _, s := range n.Body.List {
				fi.typeCases[s.(*ast.CaseClause)] = n
			}
		case *ast.BlockStmt:
			c.indexList(fi, n.List)
		case *ast.CaseClause:
			c.indexList(fi, n.Body)
		case *ast.CommClause:
			c.indexList(fi, n.Body)
		}
		return true
	})
}

// indexList records the statements of list that are followed by an if
// returning their error.
func (c *checker) indexList(fi *funcInfo, list []ast.Stmt) {
	for i := 0; i+1 < len(list); i++ {
		if ifs, ok := list[i+1].(*ast.IfStmt); ok && ifs.Init == nil && c.propagates(list[i], ifs) {
			fi.propagating[list[i]] = true
		}
	}
}

// propagates reports whether s assigns the error of a call that is given
// a cancellable context, and ifs, which follows it, returns that error
// when it is not nil: err := f(ctx); if err != nil { return …err… }.
func (c *checker) propagates(s ast.Stmt, ifs *ast.IfStmt) bool {
	as, ok := s.(*ast.AssignStmt)
	if !ok {
		return false
	}
	e, call := c.errAssign(as.Lhs, as.Rhs)
	if e == nil || !c.reachedByCtx(call) {
		return false // not the error of a call given a context
	}
	x, branch := c.nilCheck(ifs.Cond)
	if x != e || branch != 0 {
		return false // not if err != nil
	}
	for _, st := range ifs.Body.List {
		if ret, ok := st.(*ast.ReturnStmt); ok && mentions(c.info, ret, e) {
			return true
		}
	}
	return false
}

// givenCtx reports whether call is given a context that may be cancelled.
func (c *checker) givenCtx(call *ast.CallExpr) bool {
	arg := contexts.Arg(c.info, call)
	if arg == nil {
		return false
	}
	ctx, ok := c.ctxs.Carried(arg)
	return ok && c.ctxs.CanBeCancelled(ctx)
}

// reachedByCtx reports whether call is given a cancellable context, or a
// receiver or argument that a call given one made: stream.Recv() after
// stream, err := client.Watch(ctx), client.Do(req) after
// req, err := http.NewRequestWithContext(ctx, …). After cancellation such
// a call fails too.
func (c *checker) reachedByCtx(call *ast.CallExpr) bool {
	if c.givenCtx(call) {
		return true
	}
	operands := call.Args
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		operands = append([]ast.Expr{sel.X}, operands...)
	}
	for _, e := range operands {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := c.info.Uses[id].(*types.Var)
		if !ok || !nav.IsLocal(v) {
			continue
		}
		if def, ok := ast.Unparen(c.ctxs.Definition(v)).(*ast.CallExpr); ok && c.givenCtx(def) {
			return true
		}
	}
	return false
}

// errAssign returns the error variable that lhs = rhs assigns from the
// last result of a single call, and the call; or nil.
func (c *checker) errAssign(lhs, rhs []ast.Expr) (*types.Var, *ast.CallExpr) {
	if len(rhs) != 1 || len(lhs) == 0 {
		return nil, nil
	}
	call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
	if !ok {
		return nil, nil
	}
	id, ok := ast.Unparen(lhs[len(lhs)-1]).(*ast.Ident)
	if !ok {
		return nil, nil
	}
	v, ok := c.info.ObjectOf(id).(*types.Var)
	if !ok || !match.IsError(v.Type()) {
		return nil, nil // not an error variable
	}
	switch t := c.info.TypeOf(call).(type) {
	case *types.Tuple:
		if t.Len() != len(lhs) {
			return nil, nil
		}
	default:
		if len(lhs) != 1 {
			return nil, nil
		}
	}
	return v, call
}

// mentions reports whether n, outside function literals, refers to v.
func mentions(info *types.Info, n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // runs at another time
		case *ast.Ident:
			if info.Uses[n] == v {
				found = true
			}
		}
		return !found
	})
	return found
}
