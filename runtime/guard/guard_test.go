package guard_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/resilvet/resilvet/runtime/guard"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeDriverName is registered once for the whole test binary: sql.Register
// panics on a second registration, and -count=N reruns tests, not init.
const fakeDriverName = "guardtest-fake"

type fakeDriver struct{}

func (fakeDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("fake driver opens nothing")
}

func init() { sql.Register(fakeDriverName, fakeDriver{}) }

func TestMustReturnsValue(t *testing.T) {
	if got := guard.Must(42, nil); got != 42 {
		t.Errorf("Must(42, nil) = %d, want 42", got)
	}
	// The in-place form the silentimport fix writes must compile and pass
	// the value through.
	db := guard.Must(sql.Open(fakeDriverName, "dsn"))
	if db == nil {
		t.Fatal("Must(sql.Open(registered driver)) returned nil")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMustPanicsNamingTheDependency(t *testing.T) {
	tests := []struct {
		name string
		call func()
		want string // the dependency, as the loader's own error names it
	}{
		{"sql.Open", func() { guard.Must(sql.Open("guardtest-unregistered", "dsn")) }, `"guardtest-unregistered"`},
		{"time.LoadLocation", func() { guard.Must(time.LoadLocation("Nowhere/Atlantis")) }, "Nowhere/Atlantis"},
		{"template.ParseFiles", func() { guard.Must(template.ParseFiles(filepath.Join(t.TempDir(), "missing.tmpl"))) }, "missing.tmpl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := recoverError(t, tt.call)
			msg := err.Error()
			if !strings.HasPrefix(msg, "guard: required dependency failed to load: ") {
				t.Errorf("panic message %q lacks the guard prefix", msg)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("panic message %q does not name %s", msg, tt.want)
			}
		})
	}
}

func TestMustPanicWrapsTheError(t *testing.T) {
	cause := errors.New("cache config unreadable")
	err := recoverError(t, func() { guard.Must("", cause) })
	if !errors.Is(err, cause) {
		t.Errorf("panic value %v does not wrap the loader's error", err)
	}
}

// recoverError runs f, which must panic with an error, and returns it.
func recoverError(t *testing.T, f func()) (err error) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("no panic")
		}
		var ok bool
		if err, ok = r.(error); !ok {
			t.Fatalf("panic value %#v is a %T, not an error", r, r)
		}
	}()
	f()
	return nil
}

// recorder is a slog.Handler that keeps every record it is given.
type recorder struct {
	level slog.Leveler
	mu    sync.Mutex
	recs  []slog.Record
}

func (h *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }
func (h *recorder) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *recorder) WithGroup(string) slog.Handler                { return h }
func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

func (h *recorder) records() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slog.Record(nil), h.recs...)
}

func attrs(r slog.Record) map[string]slog.Value {
	m := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value; return true })
	return m
}

func TestOptionalNilErrorLogsNothing(t *testing.T) {
	h := &recorder{level: slog.LevelDebug}
	guard.ResetOptional(t, slog.New(h))
	if !guard.Optional("geoip", nil) {
		t.Error("Optional(name, nil) = false, want true")
	}
	if n := len(h.records()); n != 0 {
		t.Errorf("Optional(name, nil) logged %d records, want 0", n)
	}
}

func TestOptionalWarnsOncePerName(t *testing.T) {
	h := &recorder{level: slog.LevelDebug}
	guard.ResetOptional(t, slog.New(h))
	first := errors.New("geoip database: file not found")

	_, _, line, _ := runtime.Caller(0)
	loaded := guard.Optional("geoip", first) // on line+1: the warning's source
	if loaded {
		t.Error("Optional(name, err) = true, want false")
	}
	if guard.Optional("geoip", errors.New("geoip database: still missing")) {
		t.Error("second Optional(name, err) = true, want false")
	}
	if guard.Optional("redis", errors.New("dial tcp: connection refused")) {
		t.Error("Optional(other name, err) = true, want false")
	}

	recs := h.records()
	if len(recs) != 2 {
		t.Fatalf("logged %d records, want 2 (one per name)", len(recs))
	}
	r := recs[0]
	if r.Level != slog.LevelWarn {
		t.Errorf("level = %v, want WARN", r.Level)
	}
	if !strings.HasPrefix(r.Message, "guard: ") {
		t.Errorf("message %q lacks the guard prefix", r.Message)
	}
	a := attrs(r)
	if got := a["name"].String(); got != "geoip" {
		t.Errorf("name attr = %q, want geoip", got)
	}
	if got, ok := a["error"].Any().(error); !ok || got != first {
		t.Errorf("error attr = %v, want the first error %v", a["error"], first)
	}
	if got := attrs(recs[1])["name"].String(); got != "redis" {
		t.Errorf("second record's name = %q, want redis", got)
	}
	// The source is the caller of Optional, not guard.go.
	fr, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
	if filepath.Base(fr.File) != "guard_test.go" || fr.Line != line+1 {
		t.Errorf("source = %s:%d, want guard_test.go:%d", filepath.Base(fr.File), fr.Line, line+1)
	}
}

func TestOptionalDisabledWarningIsNotUsedUp(t *testing.T) {
	var level slog.LevelVar
	level.Set(slog.LevelError)
	h := &recorder{level: &level}
	guard.ResetOptional(t, slog.New(h))

	guard.Optional("geoip", errors.New("missing"))
	if n := len(h.records()); n != 0 {
		t.Fatalf("logged %d records below the handler's level, want 0", n)
	}
	level.Set(slog.LevelWarn)
	guard.Optional("geoip", errors.New("missing"))
	if n := len(h.records()); n != 1 {
		t.Errorf("after enabling warnings logged %d records, want 1", n)
	}
}

func TestOptionalConcurrent(t *testing.T) {
	h := &recorder{level: slog.LevelDebug}
	guard.ResetOptional(t, slog.New(h))
	names := []string{"a", "b", "c"}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				name := names[i%len(names)]
				if guard.Optional(name, fmt.Errorf("attempt %d failed", i)) {
					t.Error("Optional(name, err) = true")
				}
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range h.records() {
		seen[attrs(r)["name"].String()]++
	}
	for _, name := range names {
		if seen[name] != 1 {
			t.Errorf("%q warned %d times, want 1", name, seen[name])
		}
	}
	if len(seen) != len(names) {
		t.Errorf("warned about %v, want exactly %v", seen, names)
	}
}

func TestOptionalEmptyNamePanics(t *testing.T) {
	for _, err := range []error{nil, errors.New("missing")} {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.HasPrefix(s, "guard: ") {
					t.Errorf("Optional(\"\", %v) panicked with %#v, want a guard: message", err, r)
				}
			}()
			guard.Optional("", err)
		}()
	}
}

func TestSQLDriver(t *testing.T) {
	if err := guard.SQLDriver(fakeDriverName); err != nil {
		t.Errorf("SQLDriver(registered) = %v, want nil", err)
	}

	tests := []struct {
		name, wantImport string
	}{
		{"postgres", "github.com/lib/pq"},
		{"pgx", "github.com/jackc/pgx/v5/stdlib"},
		{"mssql", "github.com/microsoft/go-mssqldb"},
		{"sqlite", "modernc.org/sqlite"},
		{"postgresql", ""}, // a common misspelling: no driver registers it
		{"", ""},
	}
	for _, tt := range tests {
		err := guard.SQLDriver(tt.name)
		var missing *guard.MissingDriverError
		if !errors.As(err, &missing) {
			t.Errorf("SQLDriver(%q) = %v, want a *MissingDriverError", tt.name, err)
			continue
		}
		if missing.Name != tt.name || missing.Import != tt.wantImport {
			t.Errorf("SQLDriver(%q) = {Name: %q, Import: %q}, want Import %q", tt.name, missing.Name, missing.Import, tt.wantImport)
		}
		msg := err.Error()
		for _, want := range []string{"guard: ", fmt.Sprintf("%q", tt.name), "registered: " + fakeDriverName} {
			if !strings.Contains(msg, want) {
				t.Errorf("SQLDriver(%q) message %q lacks %q", tt.name, msg, want)
			}
		}
		if tt.wantImport != "" && !strings.Contains(msg, fmt.Sprintf("import _ %q", tt.wantImport)) {
			t.Errorf("SQLDriver(%q) message %q does not name the import", tt.name, msg)
		}
	}
}

func TestMissingDriverErrorWithNoDriver(t *testing.T) {
	err := guard.MissingDriver("mysql", []string{})
	want := `guard: database/sql driver "mysql" is not registered; add import _ "github.com/go-sql-driver/mysql" (no driver is registered)`
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestMissingDriverErrorPartial: a MissingDriverError made by hand does not
// know which drivers are registered, so its text claims nothing about them.
func TestMissingDriverErrorPartial(t *testing.T) {
	tests := []struct {
		err  *guard.MissingDriverError
		want string
	}{
		{&guard.MissingDriverError{}, `guard: database/sql driver "" is not registered`},
		{&guard.MissingDriverError{Name: "mysql"}, `guard: database/sql driver "mysql" is not registered`},
		{&guard.MissingDriverError{Name: "mysql", Import: "github.com/go-sql-driver/mysql"},
			`guard: database/sql driver "mysql" is not registered; add import _ "github.com/go-sql-driver/mysql"`},
		{&guard.MissingDriverError{Import: "example.com/drv"}, `guard: database/sql driver "" is not registered; add import _ "example.com/drv"`},
		{guard.MissingDriver("pg", []string{"a", "b"}), `guard: database/sql driver "pg" is not registered (registered: a, b)`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
