// Package contexts answers what the analyzers ask about context.Context
// values: which ctx is in scope at a position (At), where a context comes
// from and whether anything can cancel it (File), and whether code observes
// cancellation (MentionsCancel, WaitsForCancel, Deliberate, …).
//
// The ctx in scope is the one resilvet's rules define: a context.Context
// parameter or local of the innermost enclosing function that is in scope
// and not shadowed, or else r.Context() of an *http.Request parameter r of
// that function; an outer function's ctx counts inside a function literal
// only if the literal runs synchronously.
package contexts

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// A Ctx is the context.Context available at a position.
type Ctx struct {
	Expr        string     // the source text a fix inserts: "ctx", or "r.Context()"
	Var         *types.Var // the context.Context variable, or the *http.Request parameter
	FromRequest bool       // Expr is Var.Name()+".Context()"
	Func        ast.Node   // the *ast.FuncDecl or *ast.FuncLit whose parameter or local Var is
}

// At returns the ctx in scope at cur, a cursor at the node where the ctx
// would be used.
//
// In the innermost function enclosing cur, it is the context.Context
// parameter or local that is declared before cur, in scope and not
// shadowed there — the one of the innermost scope, and in it the latest
// declared; parameters named _ and named results do not count. Failing
// that, an *http.Request parameter r gives r.Context(). Failing both, if the
// function is a literal that runs synchronously (see Synchronous), the
// search goes on in the function enclosing the literal, and so on.
func At(info *types.Info, cur inspector.Cursor) (Ctx, bool) {
	if _, ok := cur.Node().(*ast.File); ok {
		return Ctx{}, false // no function encloses a file
	}
	pos := cur.Node().Pos()
	var (
		inner    *types.Scope // the innermost scope at pos: visibility is judged from it
		searched *types.Scope // the last scope searched
	)
	for a := range cur.Parent().Enclosing() {
		var ftype *ast.FuncType // of a FuncDecl or FuncLit
		var s *types.Scope
		switch n := a.Node().(type) {
		case *ast.File:
			return Ctx{}, false // reached package level
		case *ast.FuncDecl:
			ftype = n.Type
		case *ast.FuncLit:
			ftype = n.Type
		default:
			s = info.Scopes[n]
		}
		if ftype != nil {
			s = info.Scopes[ftype]
		}
		if s == nil {
			continue // no scope of its own
		}
		if inner == nil {
			inner = s
		}
		if s != searched { // cur may be within the FuncType, whose scope is the function's
			searched = s
			if v := latestCtx(s, inner, pos, ftype); v != nil {
				fn, _ := nav.EnclosingFunc(a)
				return Ctx{Expr: v.Name(), Var: v, Func: fn.Node()}, true
			}
		}
		if ftype == nil {
			continue // a block: go on to the enclosing one
		}
		if r := requestParam(info, ftype, inner, pos); r != nil {
			return Ctx{Expr: r.Name() + ".Context()", Var: r, FromRequest: true, Func: a.Node()}, true
		}
		if _, ok := a.Node().(*ast.FuncLit); !ok || !Synchronous(info, a) {
			return Ctx{}, false // a declared function, or a literal that may run later
		}
	}
	panic("contexts.At: a node outside any file")
}

// latestCtx returns the latest declared context.Context variable of scope
// s that is visible, not shadowed, at pos from inner. If s is the scope of
// a function whose type is ftype, named results do not count: they hold
// nothing until assigned.
func latestCtx(s, inner *types.Scope, pos token.Pos, ftype *ast.FuncType) *types.Var {
	var best *types.Var
	for _, name := range s.Names() {
		v, ok := s.Lookup(name).(*types.Var)
		if !ok || name == "_" || !match.IsContext(v.Type()) {
			continue // not a usable context.Context variable
		}
		if _, obj := inner.LookupParent(name, pos); obj != v {
			continue // declared after pos, or shadowed there
		}
		if ftype != nil && ftype.Results != nil && ftype.Results.Pos() <= v.Pos() && v.Pos() < ftype.Results.End() {
			continue // a named result
		}
		if best == nil || v.Pos() > best.Pos() {
			best = v
		}
	}
	return best
}

// requestParam returns the first *http.Request parameter of the function
// of type ftype that is visible at pos from inner.
func requestParam(info *types.Info, ftype *ast.FuncType, inner *types.Scope, pos token.Pos) *types.Var {
	for _, field := range ftype.Params.List {
		for _, id := range field.Names {
			v, ok := info.Defs[id].(*types.Var)
			if !ok || id.Name == "_" {
				continue // unusable
			}
			ptr, ok := types.Unalias(v.Type()).(*types.Pointer)
			if !ok || !match.IsNamed(ptr.Elem(), "net/http", "Request") {
				continue // not an *http.Request
			}
			if _, obj := inner.LookupParent(id.Name, pos); obj != v {
				continue // shadowed at pos
			}
			return v
		}
	}
	return nil
}

// Synchronous reports whether the function literal at lit runs while its
// enclosing function waits, so that the enclosing function's ctx is still
// the right one inside it: the literal is called immediately, or passed as
// an argument to a call that is neither the call of a go or defer statement
// nor a call of a function that runs its argument later (RunsLater).
// A literal that is assigned, stored in a field or composite literal,
// returned, sent, converted (http.HandlerFunc(func…)) or passed to a
// builtin (append) is not synchronous.
func Synchronous(info *types.Info, lit inspector.Cursor) bool {
	c := lit
	for c.ParentEdgeKind() == edge.ParenExpr_X {
		c = c.Parent()
	}
	call, ok := c.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false // stored, returned, sent or otherwise kept for later
	}
	switch c.Parent().Parent().Node().(type) {
	case *ast.GoStmt, *ast.DeferStmt:
		return false // the call itself runs later
	}
	switch c.ParentEdgeKind() {
	case edge.CallExpr_Fun:
		return true // called immediately
	case edge.CallExpr_Args:
		if tv, ok := info.Types[call.Fun]; !ok || tv.IsType() || tv.IsBuiltin() {
			return false // a conversion or builtin keeps the function value
		}
		return !RunsLater(match.Callee(info, call))
	}
	panic("contexts.Synchronous: a literal that is neither the function nor an argument of its call")
}

// RunsLater reports whether fn is a known function that runs a function
// argument after it returns — on another goroutine, after a delay, at
// cleanup, or for later callers — rather than before it returns.
// (*sync.Once).Do, sort.Slice, singleflight's Do and (*testing.T).Run run
// it before returning, so they are not listed. An unknown callee (nil, a
// func value) is assumed to run its argument before it returns.
func RunsLater(fn *types.Func) bool {
	return fn != nil && runsLater.Has(fn)
}

var runsLater = slices.Concat(
	match.APIs{
		{Pkg: "time", Names: []string{"AfterFunc"}},
		{Pkg: "context", Names: []string{"AfterFunc"}},
		{Pkg: "runtime", Names: []string{"SetFinalizer", "AddCleanup"}},
		match.OnceFuncs,
		match.WaitGroupGo,
		match.ErrgroupGo,
		{Pkg: "net/http", Names: []string{"HandleFunc"}},
		{Pkg: "net/http", Recv: "ServeMux", Names: []string{"HandleFunc"}},
		{Pkg: "net/http", Recv: "Server", Names: []string{"RegisterOnShutdown"}},
		// t.Context() is cancelled before cleanup functions run.
		{Pkg: "testing", Recv: "common", Names: []string{"Cleanup"}},
		{Pkg: "testing", Recv: "TB", Names: []string{"Cleanup"}},
		match.TaskGo,
		match.TaskGroupGo,
	},
	match.SingleflightDoChan,
	match.ConcGo,
)
