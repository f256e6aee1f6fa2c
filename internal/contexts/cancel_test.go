package contexts_test

import (
	"go/ast"
	"go/constant"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/srctest"
)

var cancelStubs = map[string]string{
	"github.com/resilvet/resilvet/runtime/cancel": `package cancel
import "context"
func Is(err error) bool { return false }
func Of(ctx context.Context, err error) bool { return false }
func Err(ctx context.Context) error { return nil }
`,
	"google.golang.org/grpc/codes": `package codes
type Code uint32
const (
	OK Code = 0
	Canceled Code = 1
	DeadlineExceeded Code = 4
)
`,
	"google.golang.org/grpc/status": `package status
import "google.golang.org/grpc/codes"
func Code(err error) codes.Code { return codes.OK }
`,
}

// Each test(label, e) marks an expression; cancelTests maps labels to what
// CancelTest says of it ("true", "false": the value that means cancelled;
// "": not a test of cancellation).
const cancelSrc = `package p

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/resilvet/resilvet/runtime/cancel"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func test(label string, e bool) {}
func carried(label string, ctx context.Context) {}
func fetch(ctx context.Context) error { return nil }

type S struct{ ctx context.Context }

func f(ctx context.Context, err error, r *http.Request, s S) {
	test("err-nil", ctx.Err() != nil)
	test("err-eq-nil", ctx.Err() == nil)
	test("nil-err", nil != ctx.Err())
	test("err-canceled", ctx.Err() == context.Canceled)
	test("is", errors.Is(err, context.Canceled))
	test("is-deadline", errors.Is(err, context.DeadlineExceeded))
	test("is-other", errors.Is(err, io.EOF))
	test("eq", err == context.Canceled)
	test("neq", err != context.DeadlineExceeded)
	test("not-is", !errors.Is(err, context.Canceled))
	test("cancel.Is", cancel.Is(err))
	test("cancel.Of", cancel.Of(ctx, err))
	test("cancel.Err", cancel.Err(ctx) != nil)
	test("cause", context.Cause(ctx) != nil)
	test("grpc", status.Code(err) == codes.Canceled)
	test("grpc-ok", status.Code(err) == codes.OK)
	test("plain", err != nil)

	child, stop := context.WithTimeout(ctx, time.Second)
	defer stop()
	valued := context.WithValue(ctx, "k", 1)
	detached := context.WithoutCancel(ctx)
	carried("param", ctx)
	carried("child", child)
	carried("value", context.WithValue(child, "k", 2))
	carried("valued", valued)
	carried("request", r.Context())
	carried("field", s.ctx)
	carried("background", context.Background())
	carried("detached", detached)
	carried("inline-detached", context.WithoutCancel(ctx))
}
`

var cancelTests = map[string]string{
	"err-nil": "true", "err-eq-nil": "false", "nil-err": "true", "err-canceled": "true",
	"is": "true", "is-deadline": "true", "is-other": "", "eq": "true", "neq": "false",
	"not-is": "false", "cancel.Is": "true", "cancel.Of": "true", "cancel.Err": "true",
	"cause": "true", "grpc": "true", "grpc-ok": "", "plain": "",
}

// carriedCases: the Expr Carried gives ("" for none) and whether the
// context can be cancelled.
var carriedCases = map[string]struct {
	expr        string
	cancellable bool
}{
	"param":           {"ctx", true},
	"child":           {"child", true},
	"value":           {"child", true},
	"valued":          {"valued", true},
	"request":         {"r.Context()", true},
	"field":           {"", false},
	"background":      {"", false},
	"detached":        {"detached", false},
	"inline-detached": {"", false},
}

func marked(t *testing.T, p *srctest.Package, name string, f func(label string, cur inspector.Cursor, arg ast.Expr)) {
	t.Helper()
	for cur := range p.Inspector.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == name {
			f(constant.StringVal(p.Info.Types[call.Args[0]].Value), cur, call.Args[1])
		}
	}
}

func TestCancelTest(t *testing.T) {
	p := srctest.Check(t, cancelStubs, "example.com/p", cancelSrc)
	seen := 0
	marked(t, p, "test", func(label string, _ inspector.Cursor, e ast.Expr) {
		seen++
		want, ok := cancelTests[label]
		if !ok {
			t.Fatalf("no case for %q", label)
		}
		c, found := contexts.CancelTest(p.Info, e)
		got := ""
		if found {
			got = map[bool]string{true: "true", false: "false"}[c]
		}
		if got != want {
			t.Errorf("%s: CancelTest = %q, want %q", label, got, want)
		}
		// Whatever tests cancellation mentions it too.
		if found && !contexts.MentionsCancel(p.Info, e, nil) {
			t.Errorf("%s: a cancellation test that MentionsCancel does not see", label)
		}
	})
	if seen != len(cancelTests) {
		t.Errorf("%d markers for %d cases", seen, len(cancelTests))
	}
}

func TestCarried(t *testing.T) {
	p := srctest.Check(t, cancelStubs, "example.com/p", cancelSrc)
	files := p.Inspector.Root().Children()
	var fileCur inspector.Cursor
	for c := range files {
		fileCur = c
	}
	f := contexts.NewFile(p.Info, fileCur)
	seen := 0
	marked(t, p, "carried", func(label string, _ inspector.Cursor, e ast.Expr) {
		seen++
		want := carriedCases[label]
		got, ok := f.Carried(e)
		if got.Expr != want.expr || ok != (want.expr != "") {
			t.Errorf("%s: Carried = %q, %v; want %q", label, got.Expr, ok, want.expr)
		}
		if ok && f.CanBeCancelled(got) != want.cancellable {
			t.Errorf("%s: CanBeCancelled = %v, want %v", label, !want.cancellable, want.cancellable)
		}
	})
	if seen != len(carriedCases) {
		t.Errorf("%d markers for %d cases", seen, len(carriedCases))
	}
}

func TestBoundedAndVisible(t *testing.T) {
	p := srctest.Check(t, cancelStubs, "example.com/p", cancelSrc)
	var fileCur inspector.Cursor
	for c := range p.Inspector.Root().Children() {
		fileCur = c
	}
	f := contexts.NewFile(p.Info, fileCur)
	var fn *ast.FuncDecl
	for _, d := range p.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "f" {
			fn = fd
		}
	}
	body := fn.Body
	vars := make(map[string]*types.Var) // f's own
	for id, obj := range p.Info.Defs {
		if v, ok := obj.(*types.Var); ok && fn.Pos() <= id.Pos() && id.Pos() < fn.End() {
			vars[id.Name] = v
		}
	}
	if parent, ok := f.Bounded(vars["child"]); !ok || parent != vars["ctx"] {
		t.Errorf("Bounded(child) = %v, %v; want ctx", parent, ok)
	}
	for _, name := range []string{"ctx", "valued", "detached"} {
		if p, ok := f.Bounded(vars[name]); ok {
			t.Errorf("Bounded(%s) = %v: not a deadline of its own", name, p)
		}
	}
	// ctx is visible at the end of f; child is not visible before its
	// declaration.
	if !f.Visible("ctx", vars["ctx"], body.Rbrace) {
		t.Error("ctx is not visible at the end of f")
	}
	if f.Visible("child", vars["child"], body.Lbrace+1) {
		t.Error("child is visible before its declaration")
	}
}

func TestSentinelAndSignal(t *testing.T) {
	p := srctest.Check(t, cancelStubs, "example.com/p", `package p

import (
	"context"
	"io"

	"google.golang.org/grpc/codes"
)

var (
	a = context.Canceled
	b = context.DeadlineExceeded
	c = io.EOF
	d = codes.Canceled
	stop chan struct{}
	vals chan int
)
`)
	want := map[string]string{"a": "Canceled", "b": "DeadlineExceeded", "c": "", "d": ""}
	for _, decl := range p.Files[0].Decls {
		for _, spec := range decl.(*ast.GenDecl).Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok || len(vs.Values) == 0 {
				continue
			}
			name := vs.Names[0].Name
			if got := contexts.Sentinel(p.Info, vs.Values[0]); got != want[name] {
				t.Errorf("Sentinel(%s) = %q, want %q", name, got, want[name])
			}
		}
	}
	for id, obj := range p.Info.Defs {
		if id.Name != "stop" && id.Name != "vals" {
			continue
		}
		if _, ok := obj.(*types.Var); ok && contexts.IsSignal(p.Info, id) != (id.Name == "stop") {
			t.Errorf("IsSignal(%s) = %v", id.Name, id.Name != "stop")
		}
	}
}

func TestArg(t *testing.T) {
	p := srctest.Check(t, cancelStubs, "example.com/p", cancelSrc)
	for cur := range p.Inspector.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		id, ok := call.Fun.(*ast.Ident)
		if !ok {
			continue
		}
		switch id.Name {
		case "fetch", "carried":
			if contexts.Arg(p.Info, call) == nil {
				t.Errorf("%s(…) at %v: no context argument found", id.Name, p.Fset.Position(call.Pos()))
			}
		case "test":
			if contexts.Arg(p.Info, call) != nil {
				t.Errorf("test(…) at %v: a context argument found", p.Fset.Position(call.Pos()))
			}
		}
	}
}
