package match_test

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/srctest"
)

// stubs are test-only packages: a generic library, an errgroup vendored by a
// module, and a package with an alias.
var stubs = map[string]string{
	"example.com/gen": `package gen
func Map[T, U any](xs []T, f func(T) U) []U { return nil }
type Box[T any] struct{ v T }
func (b *Box[T]) Get() T { return b.v }
func (b Box[T]) Peek() T { return b.v }
`,
	"example.com/m/vendor/golang.org/x/sync/errgroup": `package errgroup
type Group struct{}
func (g *Group) Go(f func() error) {}
func (g *Group) Wait() error { return nil }
`,
	"vendor/golang.org/x/sync/semaphore": `package semaphore
type Weighted struct{}
func (*Weighted) Release(int64) {}
`,
	"example.com/alias": `package alias
import "sync"
type WG = sync.WaitGroup
type Ctx = interface{ Done() <-chan struct{} }
`,
}

const src = `package p

import (
	"context"
	"io"
	"sync"
	"time"

	"example.com/alias"
	"example.com/gen"
	"example.com/m/vendor/golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

type embedsValue struct{ sync.WaitGroup }
type embedsPtr struct{ *sync.WaitGroup }
type twice struct{ embedsPtr }
type myWG sync.WaitGroup // a defined type: does not have WaitGroup's methods
type embedsCtx struct{ context.Context }
type extCtx interface {
	context.Context
	Extra()
}

type Local struct{}
func (Local) Wait() {}

func f(ctx context.Context, rc io.ReadCloser, wg *sync.WaitGroup, v sync.WaitGroup, ev embedsValue, ep embedsPtr, tw twice, a *alias.WG, g *errgroup.Group, box *gen.Box[int], fv func(), ec embedsCtx, xc extCtx, sem *semaphore.Weighted) {
	wg.Wait()                         // (*sync.WaitGroup).Wait through a pointer
	v.Wait()                          // ... on an addressable value
	ev.Wait()                         // promoted from an embedded WaitGroup
	ep.Wait()                         // promoted from an embedded *WaitGroup
	tw.Wait()                         // promoted twice
	a.Wait()                          // through an alias
	ctx.Done()                        // interface method of context.Context
	rc.Read(nil)                      // io.Reader's method, embedded in io.ReadCloser
	g.Go(nil)                         // vendored errgroup
	box.Get()                         // method of a generic type instance
	box.Peek()                        // value receiver of a generic type instance
	gen.Map([]int{}, func(int) string { return "" }) // generic function, inferred
	gen.Map[int, int](nil, nil)       // generic function, explicit instance
	time.Sleep(0)                     // package-level function
	Local{}.Wait()                    // same method name, another type
	fv()                              // func value
	_ = len("")                       // builtin
	_ = time.Duration(1)              // conversion
	func() {}()                       // function literal
	(*sync.WaitGroup).Wait(wg)        // method expression
	_ = myWG{}
	ec.Done()                         // context.Context's method, promoted from a struct field
	xc.Done()                         // context.Context's method, through interface embedding
	xc.Extra()                        // the embedding interface's own method
	sem.Release(1)                    // vendored as in the standard library
}
`

// calleeNames describes the callee of every call in p, in source order.
func calleeNames(p *srctest.Package) []string {
	var out []string
	ast.Inspect(p.Files[0], func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := match.Callee(p.Info, call)
		switch {
		case fn == nil:
			out = append(out, "nil")
		case match.Receiver(fn) != nil:
			r := match.Receiver(fn).Obj()
			out = append(out, fmt.Sprintf("%s.%s.%s", match.PkgPath(r.Pkg()), r.Name(), fn.Name()))
		default:
			out = append(out, fmt.Sprintf("%s.%s", match.PkgPath(fn.Pkg()), fn.Name()))
		}
		return true
	})
	return out
}

func TestCallee(t *testing.T) {
	p := srctest.Check(t, stubs, "example.com/p", src)
	want := []string{
		"sync.WaitGroup.Wait",
		"sync.WaitGroup.Wait",
		"sync.WaitGroup.Wait",
		"sync.WaitGroup.Wait",
		"sync.WaitGroup.Wait",
		"sync.WaitGroup.Wait",
		"context.Context.Done",
		"io.Reader.Read",
		"golang.org/x/sync/errgroup.Group.Go",
		"example.com/gen.Box.Get",
		"example.com/gen.Box.Peek",
		"example.com/gen.Map",
		"example.com/gen.Map",
		"time.Sleep",
		"example.com/p.Local.Wait",
		"nil", // fv()
		"nil", // len
		"nil", // conversion
		"nil", // literal
		"sync.WaitGroup.Wait",
		"context.Context.Done",
		"context.Context.Done",
		"example.com/p.extCtx.Extra",
		"golang.org/x/sync/semaphore.Weighted.Release",
	}
	got := calleeNames(p)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("callees:\ngot  %q\nwant %q", got, want)
	}
}

func calls(p *srctest.Package) []*types.Func {
	var out []*types.Func
	ast.Inspect(p.Files[0], func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			out = append(out, match.Callee(p.Info, call))
		}
		return true
	})
	return out
}

func TestIsMethodIsFunc(t *testing.T) {
	p := srctest.Check(t, stubs, "example.com/p", src)
	fns := calls(p)
	for i := range 6 {
		if !match.IsMethod(fns[i], "sync", "WaitGroup", "Add", "Wait") {
			t.Errorf("call %d (%v): IsMethod(sync.WaitGroup.Wait) = false", i, fns[i])
		}
	}
	for _, tc := range []struct {
		i       int
		pkg, ty string
		names   []string
		want    bool
	}{
		{0, "sync", "WaitGroup", []string{"Done"}, false}, // other name
		{0, "sync", "WaitGroup", nil, false},              // no names
		{0, "sync", "Mutex", []string{"Wait"}, false},     // other type
		{6, "context", "Context", []string{"Done"}, true},
		{7, "io", "Reader", []string{"Read"}, true},
		{7, "io", "ReadCloser", []string{"Read"}, false}, // declared by io.Reader
		{8, "golang.org/x/sync/errgroup", "Group", []string{"Go", "TryGo"}, true},
		{8, "example.com/m/vendor/golang.org/x/sync/errgroup", "Group", []string{"Go"}, false}, // compare unvendored
		{9, "example.com/gen", "Box", []string{"Get"}, true},
		{10, "example.com/gen", "Box", []string{"Peek"}, true},
		{13, "time", "Sleep", []string{"Sleep"}, false}, // a function is no method
		{14, "sync", "WaitGroup", []string{"Wait"}, false},
		{14, "example.com/p", "Local", []string{"Wait"}, true},
		{19, "sync", "WaitGroup", []string{"Wait"}, true}, // method expression
		{20, "context", "Context", []string{"Done"}, true},
		{21, "context", "Context", []string{"Done"}, true},
		{21, "example.com/p", "extCtx", []string{"Done"}, false}, // declared by context.Context
		{22, "example.com/p", "extCtx", []string{"Extra"}, true},
		{23, "golang.org/x/sync/semaphore", "Weighted", []string{"Release"}, true},
	} {
		if got := match.IsMethod(fns[tc.i], tc.pkg, tc.ty, tc.names...); got != tc.want {
			t.Errorf("IsMethod(call %d = %v, %s, %s, %v) = %v, want %v", tc.i, fns[tc.i], tc.pkg, tc.ty, tc.names, got, tc.want)
		}
	}
	for _, tc := range []struct {
		i     int
		pkg   string
		names []string
		want  bool
	}{
		{11, "example.com/gen", []string{"Map"}, true},
		{12, "example.com/gen", []string{"Filter", "Map"}, true},
		{13, "time", []string{"After", "Sleep"}, true},
		{13, "time", nil, false},
		{13, "context", []string{"Sleep"}, false},
		{0, "sync", []string{"Wait"}, false}, // a method is no function
		{15, "", []string{"fv"}, false},      // func value: nil callee
	} {
		if got := match.IsFunc(fns[tc.i], tc.pkg, tc.names...); got != tc.want {
			t.Errorf("IsFunc(call %d = %v, %s, %v) = %v, want %v", tc.i, fns[tc.i], tc.pkg, tc.names, got, tc.want)
		}
	}
}

func TestIsNamed(t *testing.T) {
	p := srctest.Check(t, stubs, "example.com/p", src)
	scope := p.Pkg.Scope()
	param := func(name string) types.Type {
		sig := scope.Lookup("f").Type().(*types.Signature)
		for v := range sig.Params().Variables() {
			if v.Name() == name {
				return v.Type()
			}
		}
		t.Fatalf("no param %s", name)
		return nil
	}
	for _, tc := range []struct {
		typ        types.Type
		pkg, name  string
		named, ptr bool
	}{
		{param("wg"), "sync", "WaitGroup", false, true},
		{param("v"), "sync", "WaitGroup", true, true},
		{param("a"), "sync", "WaitGroup", false, true}, // *alias.WG
		{param("ctx"), "context", "Context", true, true},
		{param("rc"), "io", "ReadCloser", true, true},
		{param("rc"), "io", "Reader", false, false},
		{param("box"), "example.com/gen", "Box", false, true},
		{param("g"), "golang.org/x/sync/errgroup", "Group", false, true},
		{scope.Lookup("myWG").Type(), "sync", "WaitGroup", false, false}, // defined from it, not it
		{scope.Lookup("myWG").Type(), "example.com/p", "myWG", true, true},
		{types.Universe.Lookup("error").Type(), "", "error", true, true},
		{types.NewPointer(types.NewPointer(param("v"))), "sync", "WaitGroup", false, false}, // one pointer only
		{param("fv"), "sync", "WaitGroup", false, false},
	} {
		if got := match.IsNamed(tc.typ, tc.pkg, tc.name); got != tc.named {
			t.Errorf("IsNamed(%v, %s, %s) = %v", tc.typ, tc.pkg, tc.name, got)
		}
		if got := match.IsNamedOrPtr(tc.typ, tc.pkg, tc.name); got != tc.ptr {
			t.Errorf("IsNamedOrPtr(%v, %s, %s) = %v", tc.typ, tc.pkg, tc.name, got)
		}
	}
	if !match.IsContext(param("ctx")) {
		t.Errorf("IsContext(context.Context) = false")
	}
	// An interface with the same method set is not context.Context.
	aliasCtx := func() types.Type {
		for _, imp := range p.Pkg.Imports() {
			if imp.Path() == "example.com/alias" {
				return imp.Scope().Lookup("Ctx").Type()
			}
		}
		t.Fatal("no alias package")
		return nil
	}()
	if match.IsContext(aliasCtx) {
		t.Errorf("IsContext(%v) = true for an unnamed interface", aliasCtx)
	}
}

func TestImports(t *testing.T) {
	p := srctest.Check(t, stubs, "example.com/p", src)
	for _, tc := range []struct {
		paths []string
		want  bool
	}{
		{[]string{"sync"}, true},
		{[]string{"net/http", "time"}, true},
		{[]string{"golang.org/x/sync/errgroup"}, true},  // vendored by a module
		{[]string{"golang.org/x/sync/semaphore"}, true}, // vendored as in std
		{[]string{"net/http"}, false},
		{[]string{"internal/race"}, false}, // indirect only (through sync)
		{nil, false},
	} {
		if got := match.Imports(p.Pkg, tc.paths...); got != tc.want {
			t.Errorf("Imports(%v) = %v, want %v", tc.paths, got, tc.want)
		}
	}
}

func TestTrimVendor(t *testing.T) {
	for in, want := range map[string]string{
		"vendor/golang.org/x/net/http2":                    "golang.org/x/net/http2",
		"example.com/m/vendor/golang.org/x/sync/semaphore": "golang.org/x/sync/semaphore",
		"a/vendor/b/vendor/c":                              "c",
		"example.com/vendors/x":                            "example.com/vendors/x",
		"vendorx/y":                                        "vendorx/y",
		"sync":                                             "sync",
	} {
		if got := match.TrimVendor(in); got != want {
			t.Errorf("TrimVendor(%q) = %q, want %q", in, got, want)
		}
	}
	if got := match.PkgPath(nil); got != "" {
		t.Errorf("PkgPath(nil) = %q", got)
	}
}

func TestNoReturnIsLog(t *testing.T) {
	p := srctest.Check(t, map[string]string{
		"google.golang.org/grpc/grpclog": `package grpclog
type LoggerV2 interface{ Fatalf(format string, args ...any); Infof(format string, args ...any) }
type DepthLoggerV2 interface{ LoggerV2 }
func Component(name string) DepthLoggerV2 { return nil }
`,
	}, "example.com/p", `package p

import (
	"log"
	"log/slog"
	"os"
	"runtime"
	"testing"

	"google.golang.org/grpc/grpclog"
)

var logger = grpclog.Component("p")

func f(t *testing.T, tb testing.TB, l *log.Logger, fv func()) {
	panic("x")       // noreturn
	os.Exit(1)       // noreturn
	runtime.Goexit() // noreturn
	log.Fatalf("")   // noreturn log
	l.Panicln()      // noreturn log
	t.Fatal()        // noreturn log
	tb.SkipNow()     // noreturn log
	logger.Fatalf("") // noreturn
	logger.Infof("")  // -
	log.Print()      // log
	slog.Info("")    // log
	l.Printf("")     // log
	t.Log()          // log
	os.Getenv("")    // -
	fv()             // -
	print()          // -
}
`)
	ast.Inspect(p.Files[0], func(n ast.Node) bool {
		es, ok := n.(*ast.ExprStmt)
		if !ok {
			return true
		}
		call := es.X.(*ast.CallExpr)
		line := p.Fset.Position(call.Pos()).Line
		comment := ""
		for _, cg := range p.Files[0].Comments {
			if p.Fset.Position(cg.Pos()).Line == line {
				comment = cg.Text()
			}
		}
		wantNoReturn := strings.Contains(comment, "noreturn")
		wantLog := strings.Contains(comment, "log")
		if got := match.NoReturn(p.Info, call); got != wantNoReturn {
			t.Errorf("line %d: NoReturn = %v, want %v", line, got, wantNoReturn)
		}
		if got := match.IsLog(match.Callee(p.Info, call)); got != wantLog {
			t.Errorf("line %d: IsLog = %v, want %v", line, got, wantLog)
		}
		return true
	})
}
