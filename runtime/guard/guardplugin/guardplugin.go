// Package guardplugin opens Go plugins and looks up their symbols with typed
// errors, so that a plugin that cannot load is never mistaken for one that is
// merely absent, and a symbol of the wrong type is an error rather than a
// panicking type assertion.
//
// The standard plugin package reports every failure as a plain string: a
// platform without plugin support, a missing file, a plugin built with another
// toolchain and a missing symbol all look alike, and Lookup returns an
// untyped plugin.Symbol that the caller asserts by hand. [Open] and [Lookup]
// add the classification:
//
//   - errors.Is(err, [ErrUnsupported]): this binary cannot load plugins at all
//     (not linux, darwin or freebsd, or built without cgo); fall back or stop.
//   - an [*Error] with an empty Symbol: the file could not be opened. If the
//     file is missing, errors.Is(err, fs.ErrNotExist) holds; otherwise Err is
//     the plugin package's message (plugin built by another toolchain or with
//     other package versions, dlopen failure).
//   - an [*Error] with a Symbol: the plugin lacks the symbol or, when the
//     error also wraps a [*SymbolTypeError], has it with another type.
//
// This is a separate package from guard because importing the standard plugin
// package into a cgo program makes the linker keep every exported method of
// every reachable type and link the binary dynamically; programs that only use
// guard.Must should not pay for that.
package guardplugin

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"plugin"
	"reflect"
	"strings"
)

// ErrUnsupported is the cause of every error from Open in a binary that cannot
// load plugins: the plugin package works only on linux, darwin and freebsd,
// in binaries built with cgo.
var ErrUnsupported = errors.New("plugins are not supported by this binary (they need linux, darwin or freebsd and cgo)")

// An Error records a plugin that could not be opened, or a symbol that could
// not be looked up in one.
type Error struct {
	Path   string // the file passed to Open; "" for errors from Lookup, which sees only the *plugin.Plugin
	Symbol string // the symbol passed to Lookup; "" for errors from Open
	// Err is the cause: ErrUnsupported; for a file that cannot be stat'ed,
	// the file system's error (errors.Is(err, fs.ErrNotExist) holds for a
	// missing file); a *SymbolTypeError; or else the plugin package's own
	// error, which is a plain string.
	Err error
}

// Error reads "guardplugin: symbol S: cause" or "guardplugin: open P: cause".
// On a partial Error, made by hand, it leaves out what is missing: a nil Err
// reads as no cause at all.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("guardplugin: ")
	if e.Symbol != "" {
		b.WriteString("symbol " + e.Symbol)
	} else {
		b.WriteString("open")
		if e.Path != "" {
			b.WriteString(" " + e.Path)
		}
	}
	if e.Err == nil {
		return b.String()
	}
	msg := e.Err.Error()
	if e.Symbol == "" && e.Path != "" {
		// The plugin package's messages repeat the path, some without
		// its ".so"; say it once.
		for _, name := range []string{e.Path, strings.TrimSuffix(e.Path, ".so")} {
			if rest, ok := strings.CutPrefix(msg, `plugin.Open("`+name+`"): `); ok {
				msg = rest
				break
			}
		}
	}
	b.WriteString(": " + msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// A SymbolTypeError is the cause of a Lookup error when the symbol exists with
// a type other than the one asked for.
type SymbolTypeError struct {
	Want reflect.Type // the type argument of Lookup
	Got  reflect.Type // the dynamic type of the symbol
}

// Error reads "has type G, want W"; a nil Got or Want (a partial
// SymbolTypeError, made by hand) reads as <nil>.
func (e *SymbolTypeError) Error() string {
	msg := fmt.Sprintf("has type %v, want %v", e.Got, e.Want)
	if e.Got != nil && e.Want != nil && e.Got == reflect.PointerTo(e.Want) {
		// The usual mistake: a plugin's variables are looked up as pointers.
		msg += " (a plugin variable is looked up as a pointer to it)"
	}
	return msg
}

// Open opens the plugin file at path, as plugin.Open does, and returns any
// failure as an *Error. It blocks while the dynamic loader maps the file and
// runs the plugin's package initialisers; opening a path already opened
// returns the same *plugin.Plugin without initialising it again.
func Open(path string) (*plugin.Plugin, error) {
	if !supported {
		return nil, &Error{Path: path, Err: ErrUnsupported}
	}
	p, err := plugin.Open(path)
	if err != nil {
		// The plugin package says "realpath failed" for a missing file;
		// the stat error says why and is errors.Is-able (fs.ErrNotExist,
		// fs.ErrPermission), so a plugin that is simply not installed can
		// be told apart from one that is broken.
		var pe *fs.PathError
		if _, serr := os.Stat(path); errors.As(serr, &pe) {
			err = pe.Err
		}
		return nil, &Error{Path: path, Err: err}
	}
	return p, nil
}

// Lookup returns the symbol called symbol in p as a T. A plugin's function
// is looked up as its func type (Lookup[func(string) error]); a plugin's
// variable is looked up as a pointer to it (Lookup[*Config]); T may also be
// an interface type the symbol implements. A missing symbol or one of
// another type is returned as an *Error. Lookup does not block.
//
// Lookup panics if p is nil: that p comes from an Open whose error was
// ignored.
func Lookup[T any](p *plugin.Plugin, symbol string) (T, error) {
	var zero T
	if p == nil {
		panic("guardplugin: Lookup called with a nil *plugin.Plugin")
	}
	sym, err := p.Lookup(symbol)
	if err != nil {
		return zero, &Error{Symbol: symbol, Err: err}
	}
	v, ok := sym.(T)
	if !ok {
		return zero, &Error{Symbol: symbol, Err: &SymbolTypeError{
			Want: reflect.TypeOf((*T)(nil)).Elem(), // reflect.TypeFor is go1.22
			Got:  reflect.TypeOf(sym),
		}}
	}
	return v, nil
}
