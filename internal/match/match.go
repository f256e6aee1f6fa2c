// Package match identifies functions, methods and types by their package path
// and name, from go/types information: resilvet matches by type, never by the
// text of an identifier.
//
// Package paths are compared after removing a vendor prefix (see PkgPath), so
// "vendor/golang.org/x/sync/errgroup" in the standard library and
// "example.com/m/vendor/golang.org/x/sync/errgroup" in a vendoring module
// both match "golang.org/x/sync/errgroup".
package match

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// PkgPath returns the import path of pkg with any vendor prefix removed.
func PkgPath(pkg *types.Package) string {
	if pkg == nil {
		return ""
	}
	return TrimVendor(pkg.Path())
}

// TrimVendor returns path without its vendor prefix: the part after the last
// "/vendor/", or after a leading "vendor/".
func TrimVendor(path string) string {
	if i := strings.LastIndex(path, "/vendor/"); i >= 0 {
		return path[i+len("/vendor/"):]
	}
	return strings.TrimPrefix(path, "vendor/")
}

// Callee returns the function or method that call statically calls, or nil
// for calls of builtins, conversions and function values. For a call of an
// instantiated generic function or of a method of an instantiated generic
// type it returns the generic declaration (Func.Origin), so that callers
// compare one object whatever the type arguments. For a call through an
// interface it returns the interface's abstract method.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return nil // builtin, conversion or call of a func value
	}
	return fn.Origin()
}

// IsFunc reports whether fn is the package-level function pkgPath.name for
// one of names. Methods never match. No names match nothing.
func IsFunc(fn *types.Func, pkgPath string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false // not a package-level function
	}
	return slices.Contains(names, fn.Name()) && PkgPath(fn.Pkg()) == pkgPath
}

// IsMethod reports whether fn is a method, named one of names, of the named
// type pkgPath.typeName: declared with receiver T or *T, or a method of the
// interface type so named. A method promoted through struct embedding is
// reported by typeutil.Callee (and Callee) as the embedded type's method, so
// (*sync.WaitGroup).Wait matches through any struct embedding a WaitGroup.
// Methods of generic types match through their origin. No names match
// nothing.
func IsMethod(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	if fn == nil || !slices.Contains(names, fn.Name()) {
		return false // not one of the names
	}
	recv := fn.Origin().Signature().Recv()
	if recv == nil {
		return false // a package-level function
	}
	return IsNamedOrPtr(recv.Type(), pkgPath, typeName)
}

// Receiver returns the named type that declares the method fn (through a
// pointer receiver, and for interface methods the named interface type), or
// nil if fn is not a method of a named type.
func Receiver(fn *types.Func) *types.Named {
	if fn == nil {
		return nil
	}
	recv := fn.Origin().Signature().Recv()
	if recv == nil {
		return nil // a package-level function
	}
	t := types.Unalias(recv.Type())
	if ptr, ok := t.(*types.Pointer); ok {
		t = types.Unalias(ptr.Elem())
	}
	named, _ := t.(*types.Named)
	return named
}

// IsNamed reports whether t is the named type pkgPath.name (pkgPath "" for
// the predeclared error and comparable), after resolving aliases. An
// instance of a generic type matches its generic declaration's name.
func IsNamed(t types.Type, pkgPath, name string) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false // not a named type
	}
	obj := named.Obj()
	return obj.Name() == name && PkgPath(obj.Pkg()) == pkgPath
}

// IsNamedOrPtr reports whether t is the named type pkgPath.name or a
// pointer to it.
func IsNamedOrPtr(t types.Type, pkgPath, name string) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	return IsNamed(t, pkgPath, name)
}

// IsContext reports whether t is the interface type context.Context itself
// (not merely a type implementing it).
func IsContext(t types.Type) bool { return IsNamed(t, "context", "Context") }

// Imports reports whether pkg directly imports one of the packages at paths
// (compared by PkgPath). Analyzers use it as a fast path: a package that
// imports none of the packages whose API a hazard needs cannot contain it.
func Imports(pkg *types.Package, paths ...string) bool {
	for _, imp := range pkg.Imports() {
		if slices.Contains(paths, PkgPath(imp)) {
			return true
		}
	}
	return false
}

// NoReturn reports whether call never returns to its caller: the builtin
// panic, os.Exit, runtime.Goexit, the Fatal and Panic functions and
// methods of log and of the common loggers (klog, glog, logrus, zap,
// grpclog),
// and the testing methods that stop a test (FailNow, Fatal, Skip…).
// Control-flow graphs use it to cut the edges after such calls.
func NoReturn(info *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			return b.Name() == "panic"
		}
	}
	fn := Callee(info, call)
	if fn == nil {
		return false // a func value: it may return
	}
	return noReturn.Has(fn)
}

var (
	fatals    = []string{"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"}
	testStops = []string{"FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf"}
	noReturn  = APIs{
		{"os", "", []string{"Exit"}},
		{"runtime", "", []string{"Goexit"}},
		{"log", "", fatals},
		{"log", "Logger", fatals},
		{"testing", "common", testStops},
		{"testing", "TB", testStops},
		{"k8s.io/klog/v2", "", []string{"Fatal", "Fatalf", "Fatalln", "Exit", "Exitf", "Exitln"}},
		{"github.com/sirupsen/logrus", "", fatals},
		{"github.com/sirupsen/logrus", "Logger", fatals},
		{"github.com/sirupsen/logrus", "Entry", fatals},
		{"go.uber.org/zap", "Logger", []string{"Fatal", "Panic"}},
		{"github.com/golang/glog", "", []string{"Fatal", "Fatalf", "Fatalln", "Exit", "Exitf", "Exitln"}},
		{"google.golang.org/grpc/grpclog", "", fatals[:3]},
		{"google.golang.org/grpc/grpclog", "LoggerV2", fatals[:3]},
		{"go.uber.org/zap", "SugaredLogger", []string{"Fatal", "Fatalf", "Fatalw", "Fatalln", "Panic", "Panicf", "Panicw", "Panicln"}},
	}
)
