package contexts_test

import (
	"go/ast"
	"go/constant"
	"testing"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/srctest"
)

var stubs = map[string]string{
	"golang.org/x/sync/errgroup": `package errgroup
type Group struct{}
func (*Group) Go(func() error) {}
func (*Group) TryGo(func() error) bool { return true }
`,
	"github.com/resilvet/resilvet/runtime/task": `package task
import "context"
type Group struct{}
func (*Group) Go(name string, fn func(context.Context) error) {}
func Go(ctx context.Context, name string, fn func(context.Context) error) {}
`,
}

// Each at("label") call is a position where a fix would use the ctx; cases
// maps the label to the expected Expr ("" for none) and the function that
// declares it: "decl" for the enclosing FuncDecl, "lit" for the innermost
// enclosing FuncLit.
const src = `package p

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
	"golang.org/x/sync/errgroup"
)

func at(label string) context.Context { return nil }
func run(f func())                    {}
func runNow(f func()) func()          { f(); return f }

func param(ctx context.Context)   { at("param") }
func blank(_ context.Context)     { at("blank") }
func unnamed(context.Context)     { at("unnamed") }
func none()                       { at("none") }
func result() (ctx context.Context) { at("result"); return nil }

func local() {
	at("before-local")
	ctx := context.Background()
	at("local")
	_ = ctx
}

func latest(ctx context.Context) {
	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	at("latest")
	_ = ctx2
}

func inner(ctx context.Context) {
	if c, cancel := context.WithTimeout(ctx, time.Second); true {
		defer cancel()
		at("inner-scope")
		_ = c
	}
	at("after-block")
}

func shadowed(ctx context.Context) {
	{
		ctx := 1
		at("shadowed")
		_ = ctx
	}
}

func initializer(ctx context.Context) {
	ctx2, cancel := context.WithCancel(at("initializer"))
	_, _ = ctx2, cancel
}

func typeSwitch(x any) {
	switch c := x.(type) {
	case context.Context:
		at("type-switch")
	case int:
		at("type-switch-int")
		_ = c
	}
}

func request(w http.ResponseWriter, r *http.Request) { at("request") }

func requestShadowed(w http.ResponseWriter, r *http.Request) {
	{
		r := 1
		at("request-shadowed")
		_ = r
	}
}

func requestAndCtx(ctx context.Context, r *http.Request) { at("request-and-ctx") }

func handler(ctx context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { at("handler-r") })
}

func handlerBlank(ctx context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { at("handler-blank") })
}

func registered(ctx context.Context, mux *http.ServeMux) {
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { at("handlefunc") })
}

func outerR(w http.ResponseWriter, r *http.Request) {
	func() { at("outer-r") }()
}

func closures(ctx context.Context, wg *sync.WaitGroup, g *errgroup.Group, tg *task.Group) {
	go func() { at("go") }()
	defer func() { at("defer") }()
	time.AfterFunc(time.Second, func() { at("afterfunc") })
	context.AfterFunc(ctx, func() { at("context.afterfunc") })
	wg.Go(func() { at("wg.Go") })
	g.Go(func() error { at("errgroup.Go"); return nil })
	g.TryGo(func() error { at("errgroup.TryGo"); return nil })
	task.Go(ctx, "n", func(context.Context) error { at("task.Go"); return nil })
	tg.Go("n", func(c context.Context) error { at("task.Group.Go"); return nil })
	_ = sync.OnceValue(func() int { at("oncevalue"); return 0 })
	func() { at("iife") }()
	(func() { at("iife-paren") })()
	sort.Slice(nil, func(i, j int) bool { at("sort.Slice"); return false })
	var once sync.Once
	once.Do(func() { at("once.Do") })
	f := func() { at("assigned") }
	f()
	fs := []func(){func() { at("composite") }}
	fs = append(fs, func() { at("append") })
	ch := make(chan func(), 1)
	ch <- func() { at("sent") }
	go run(func() { at("go-arg") })
	defer run(func() { at("defer-arg") })
	go run(runNow(func() { at("go-nested-arg") }))
	func() {
		func() { at("nested-iife") }()
	}()
	go func() {
		func() { at("iife-in-go") }()
	}()
	func(ctx int) { at("lit-param-shadows") }(1)
	func(c context.Context) { at("lit-own") }(ctx)
	func() {
		at("before-late")
		late := ctx
		_ = late
	}()
}

func tests(t *testing.T, tb testing.TB) {
	ctx := t.Context()
	t.Cleanup(func() { at("t.Cleanup") })
	tb.Cleanup(func() { at("tb.Cleanup") })
	t.Run("sub", func(t *testing.T) { at("t.Run") })
	_ = ctx
}

func ret(ctx context.Context) func() { return func() { at("returned") } }

var pkgLit = func(ctx context.Context) { at("pkg-lit") }
var pkgLitNone = func() { at("pkg-lit-none") }
`

var cases = map[string]struct{ expr, fn string }{
	"param":             {"ctx", "decl"},
	"blank":             {"", ""},
	"unnamed":           {"", ""},
	"none":              {"", ""},
	"result":            {"", ""},
	"before-local":      {"", ""},
	"local":             {"ctx", "decl"},
	"latest":            {"ctx2", "decl"},
	"inner-scope":       {"c", "decl"},
	"after-block":       {"ctx", "decl"},
	"shadowed":          {"", ""},
	"initializer":       {"ctx", "decl"},
	"type-switch":       {"c", "decl"},
	"type-switch-int":   {"", ""},
	"request":           {"r.Context()", "decl"},
	"request-shadowed":  {"", ""},
	"request-and-ctx":   {"ctx", "decl"},
	"handler-r":         {"r.Context()", "lit"},
	"handler-blank":     {"", ""},
	"handlefunc":        {"", ""},
	"outer-r":           {"r.Context()", "decl"},
	"go":                {"", ""},
	"defer":             {"", ""},
	"afterfunc":         {"", ""},
	"context.afterfunc": {"", ""},
	"wg.Go":             {"", ""},
	"errgroup.Go":       {"", ""},
	"errgroup.TryGo":    {"", ""},
	"task.Go":           {"", ""},
	"task.Group.Go":     {"c", "lit"},
	"oncevalue":         {"", ""},
	"iife":              {"ctx", "decl"},
	"iife-paren":        {"ctx", "decl"},
	"sort.Slice":        {"ctx", "decl"},
	"once.Do":           {"ctx", "decl"},
	"assigned":          {"", ""},
	"composite":         {"", ""},
	"append":            {"", ""},
	"sent":              {"", ""},
	"go-arg":            {"", ""},
	"defer-arg":         {"", ""},
	"go-nested-arg":     {"ctx", "decl"},
	"nested-iife":       {"ctx", "decl"},
	"iife-in-go":        {"", ""},
	"lit-param-shadows": {"", ""},
	"lit-own":           {"c", "lit"},
	"before-late":       {"ctx", "decl"},
	"returned":          {"", ""},
	"t.Cleanup":         {"", ""},
	"tb.Cleanup":        {"", ""},
	"t.Run":             {"ctx", "decl"},
	"pkg-lit":           {"ctx", "lit"},
	"pkg-lit-none":      {"", ""},
}

func TestAt(t *testing.T) {
	p := srctest.Check(t, stubs, "example.com/p", src)
	seen := make(map[string]bool)
	for cur := range p.Inspector.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "at" {
			continue // not a marker
		}
		label := constant.StringVal(p.Info.Types[call.Args[0]].Value)
		want, ok := cases[label]
		if !ok {
			t.Errorf("no case for %q", label)
			continue
		}
		seen[label] = true
		got, found := contexts.At(p.Info, cur)
		if found != (want.expr != "") || got.Expr != want.expr {
			t.Errorf("%s: At = %q, %v; want %q", label, got.Expr, found, want.expr)
			continue
		}
		if !found {
			if got != (contexts.Ctx{}) {
				t.Errorf("%s: not found, yet %+v", label, got)
			}
			continue
		}
		var wantFunc ast.Node
		for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			if _, isLit := f.Node().(*ast.FuncLit); isLit && want.fn == "lit" {
				wantFunc = f.Node()
				break
			}
			if _, isDecl := f.Node().(*ast.FuncDecl); isDecl && want.fn == "decl" {
				wantFunc = f.Node()
				break
			}
		}
		if got.Func != wantFunc || wantFunc == nil {
			t.Errorf("%s: Func = %T at %v, want the enclosing %s", label, got.Func, p.Fset.Position(got.Func.Pos()), want.fn)
		}
		if got.Var == nil || got.Var.Name()+map[bool]string{true: ".Context()"}[got.FromRequest] != got.Expr {
			t.Errorf("%s: Var %v, FromRequest %v do not give Expr %q", label, got.Var, got.FromRequest, got.Expr)
		}
		// The variable is declared within Func.
		if got.Var != nil && (got.Var.Pos() < got.Func.Pos() || got.Var.Pos() >= got.Func.End()) {
			t.Errorf("%s: %v is not declared in Func", label, got.Var)
		}
	}
	for label := range cases {
		if !seen[label] {
			t.Errorf("case %q: no marker", label)
		}
	}
}

// TestAtFile checks that At does not fail at a position outside any
// function.
func TestAtFile(t *testing.T) {
	p := srctest.Check(t, stubs, "example.com/p", "package p\n\nvar x = 1\n")
	for cur := range p.Inspector.Root().Preorder() {
		if _, ok := contexts.At(p.Info, cur); ok {
			t.Errorf("At(%T) found a ctx at package level", cur.Node())
		}
	}
}

func TestRunsLaterNil(t *testing.T) {
	if contexts.RunsLater(nil) {
		t.Error("RunsLater(nil) = true")
	}
}
