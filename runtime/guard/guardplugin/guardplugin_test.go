package guardplugin_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"plugin"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/resilvet/resilvet/runtime/guard/guardplugin"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if greeter.dir != "" {
			os.RemoveAll(greeter.dir)
		}
	}))
}

var raceEnabled bool // set by race_test.go

// greeter is testdata/greeter, built and opened once per test binary: a
// plugin cannot be unloaded, and a second copy of it, built again under
// go test -count=2, would be refused as "plugin already loaded".
var greeter struct {
	once sync.Once
	dir  string // holds the .so until TestMain ends
	path string
	p    *plugin.Plugin
	skip string // why the plugin cannot be tested here, or ""
	err  error  // from guardplugin.Open
}

func openGreeter() {
	gotool, err := exec.LookPath("go")
	if err != nil {
		greeter.skip = "no go command to build the plugin with"
		return
	}
	if greeter.dir, err = os.MkdirTemp("", "guardplugin"); err != nil {
		greeter.skip = err.Error()
		return
	}
	greeter.path = filepath.Join(greeter.dir, "greeter.so")
	args := []string{"build", "-buildmode=plugin", "-o", greeter.path}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command(gotool, append(args, "./testdata/greeter")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		greeter.skip = fmt.Sprintf("cannot build a plugin here: %v\n%s", err, out)
		return
	}
	greeter.p, greeter.err = guardplugin.Open(greeter.path)
	if greeter.err != nil && strings.Contains(greeter.err.Error(), "different version of package") {
		// go test flags the plugin build did not get (-cover, -gcflags).
		greeter.skip = "plugin and test binary built differently: " + greeter.err.Error()
	}
}

func TestOpenMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.so")
	_, err := guardplugin.Open(path)
	var e *guardplugin.Error
	if !errors.As(err, &e) {
		t.Fatalf("Open(missing) = %v, want an *Error", err)
	}
	if e.Path != path || e.Symbol != "" {
		t.Errorf("Open(missing) = {Path: %q, Symbol: %q}, want {Path: %q}", e.Path, e.Symbol, path)
	}
	t.Log(err)
	if !strings.HasPrefix(err.Error(), "guardplugin: open "+path+": ") {
		t.Errorf("message %q does not start with the path", err)
	}
	if got := errors.Is(err, guardplugin.ErrUnsupported); got != !guardplugin.Supported {
		t.Errorf("errors.Is(err, ErrUnsupported) = %v in a binary where plugins are supported = %v", got, guardplugin.Supported)
	}
	if guardplugin.Supported {
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(missing) = %v, not fs.ErrNotExist", err)
		}
		if strings.Count(err.Error(), path) != 1 {
			t.Errorf("message %q should name the path once", err)
		}
	}
}

func TestOpenNotAPlugin(t *testing.T) {
	if !guardplugin.Supported {
		t.Skip("this binary cannot load plugins; TestOpenMissingFile covers ErrUnsupported")
	}
	path := filepath.Join(t.TempDir(), "text.so")
	if err := os.WriteFile(path, []byte("not an ELF file"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := guardplugin.Open(path)
	var e *guardplugin.Error
	if !errors.As(err, &e) || e.Path != path || errors.Is(err, guardplugin.ErrUnsupported) {
		t.Errorf("Open(text file) = %v, want an *Error for %s that is not ErrUnsupported", err, path)
	}
}

func TestLookupNilPluginPanics(t *testing.T) {
	defer func() {
		if r, _ := recover().(string); !strings.HasPrefix(r, "guardplugin: ") {
			t.Errorf("Lookup(nil, ...) panicked with %q, want a guardplugin: message", r)
		}
	}()
	_, _ = guardplugin.Lookup[func()](nil, "F") // panics; the deferred check reads the value
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&guardplugin.Error{Path: "auth.so", Err: guardplugin.ErrUnsupported},
			"guardplugin: open auth.so: plugins are not supported by this binary (they need linux, darwin or freebsd and cgo)"},
		{&guardplugin.Error{Symbol: "Greet", Err: &guardplugin.SymbolTypeError{
			Want: reflect.TypeOf(func() {}), Got: reflect.TypeOf(func(string) string { return "" })}},
			"guardplugin: symbol Greet: has type func(string) string, want func()"},
		{&guardplugin.Error{Path: "lib/auth.so", Err: errors.New(`plugin.Open("lib/auth"): plugin already loaded`)},
			"guardplugin: open lib/auth.so: plugin already loaded"},
		{&guardplugin.SymbolTypeError{Want: reflect.TypeOf(""), Got: reflect.TypeOf(new(string))},
			"has type *string, want string (a plugin variable is looked up as a pointer to it)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// TestErrorTextPartial: Error on zero and partial values, as a caller may
// build them by hand, neither panics nor invents what is missing. Before,
// an Error with a nil Err and a SymbolTypeError with a nil Want panicked.
func TestErrorTextPartial(t *testing.T) {
	fn := reflect.TypeOf(func() {})
	tests := []struct {
		err  error
		want string
	}{
		{&guardplugin.Error{}, "guardplugin: open"},
		{&guardplugin.Error{Path: "x"}, "guardplugin: open x"},
		{&guardplugin.Error{Symbol: "Greet"}, "guardplugin: symbol Greet"},
		{&guardplugin.Error{Path: "x", Symbol: "Greet"}, "guardplugin: symbol Greet"},
		{&guardplugin.Error{Err: errors.New("boom")}, "guardplugin: open: boom"},
		{&guardplugin.Error{Err: errors.New(`plugin.Open("x"): boom`)}, `guardplugin: open: plugin.Open("x"): boom`},
		{&guardplugin.Error{Symbol: "Greet", Err: &guardplugin.SymbolTypeError{}}, "guardplugin: symbol Greet: has type <nil>, want <nil>"},
		{&guardplugin.SymbolTypeError{}, "has type <nil>, want <nil>"},
		{&guardplugin.SymbolTypeError{Want: fn}, "has type <nil>, want func()"},
		{&guardplugin.SymbolTypeError{Got: fn}, "has type func(), want <nil>"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
	if got := (&guardplugin.Error{Path: "x", Err: guardplugin.ErrUnsupported}).Unwrap(); got != guardplugin.ErrUnsupported {
		t.Errorf("Unwrap() = %v, want ErrUnsupported", got)
	}
	if got := (&guardplugin.Error{}).Unwrap(); got != nil {
		t.Errorf("zero Error's Unwrap() = %v, want nil", got)
	}
}

// TestRealPlugin builds testdata/greeter with -buildmode=plugin and looks up
// its symbols. Building takes a few seconds the first time (the runtime is
// rebuilt for dynamic linking) and comes from the build cache afterwards.
func TestRealPlugin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin")
	}
	if !guardplugin.Supported {
		t.Skip("this binary cannot load plugins")
	}
	greeter.once.Do(openGreeter)
	if greeter.skip != "" {
		t.Skip(greeter.skip)
	}
	if greeter.err != nil {
		t.Fatalf("Open(%s) = %v", greeter.path, greeter.err)
	}
	p, so := greeter.p, greeter.path

	t.Run("func", func(t *testing.T) {
		greet, err := guardplugin.Lookup[func(string) string](p, "Greet")
		if err != nil {
			t.Fatal(err)
		}
		if got := greet("gopher"); got != "hello, gopher" {
			t.Errorf("Greet(gopher) = %q", got)
		}
	})
	t.Run("variable as pointer", func(t *testing.T) {
		greeting, err := guardplugin.Lookup[*string](p, "Greeting")
		if err != nil {
			t.Fatal(err)
		}
		if *greeting != "hello" {
			t.Errorf("*Greeting = %q, want hello", *greeting)
		}
	})
	t.Run("interface", func(t *testing.T) {
		v, err := guardplugin.Lookup[fmt.Stringer](p, "Voice")
		if err != nil {
			t.Fatal(err)
		}
		if v.String() != "hi" {
			t.Errorf("Voice.String() = %q, want hi", v.String())
		}
	})
	t.Run("variable by value", func(t *testing.T) {
		_, err := guardplugin.Lookup[string](p, "Greeting")
		wantTypeError(t, err, "Greeting", "string", "*string")
		if !strings.Contains(err.Error(), "looked up as a pointer") {
			t.Errorf("message %q lacks the pointer hint", err)
		}
	})
	t.Run("wrong func type", func(t *testing.T) {
		_, err := guardplugin.Lookup[func() string](p, "Greet")
		wantTypeError(t, err, "Greet", "func() string", "func(string) string")
		if strings.Contains(err.Error(), "looked up as a pointer") {
			t.Errorf("message %q has the pointer hint for a func", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := guardplugin.Lookup[func()](p, "Farewell")
		var e *guardplugin.Error
		if !errors.As(err, &e) || e.Symbol != "Farewell" {
			t.Fatalf("Lookup(missing) = %v, want an *Error for Farewell", err)
		}
		t.Log(err)
		var te *guardplugin.SymbolTypeError
		if errors.As(err, &te) {
			t.Errorf("Lookup(missing) = %v, a *SymbolTypeError", err)
		}
	})
	t.Run("open again", func(t *testing.T) {
		q, err := guardplugin.Open(so)
		if err != nil || q != p {
			t.Errorf("second Open = %p, %v; want the first plugin %p", q, err, p)
		}
	})
}

func wantTypeError(t *testing.T, err error, symbol, want, got string) {
	t.Helper()
	var e *guardplugin.Error
	var te *guardplugin.SymbolTypeError
	if !errors.As(err, &e) || !errors.As(err, &te) {
		t.Fatalf("Lookup(%s) = %v, want an *Error wrapping a *SymbolTypeError", symbol, err)
	}
	t.Log(err)
	if e.Symbol != symbol || te.Want.String() != want || te.Got.String() != got {
		t.Errorf("Lookup(%s) = {Symbol: %q, Want: %v, Got: %v}, want {%s, %s, %s}", symbol, e.Symbol, te.Want, te.Got, symbol, want, got)
	}
}
