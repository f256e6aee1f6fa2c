// Package guard makes a dependency that fails to load fail loudly: at start-up
// with [Must], once in the log with [Optional], or with an error that names
// the missing import with [SQLDriver]. It replaces the "guarded import" of
// dynamic languages, where a failed import is swallowed and the program runs
// on without the feature and without a word.
//
// Each function earns its place:
//
//   - [Must] is for start-up code (main, init, package variables), where the
//     only sensible reaction to a missing required dependency is to stop with a
//     message. It has the shape of template.Must so that a call returning
//     (T, error) can be wrapped in place: guard.Must(sql.Open("postgres", dsn)).
//     The silentimport analyzer's fix writes exactly that form.
//   - [Optional] is for a dependency the program can run without: it reports
//     whether the dependency loaded and, the first time it did not, logs why.
//     A fallback that never says why it was taken is the bug this package
//     exists to prevent.
//   - [SQLDriver] checks that a database/sql driver is registered before the
//     first query, so that a forgotten blank import fails at start-up with the
//     import to add, rather than at the first request with "unknown driver".
//
// Why hand-written: the standard library's Must functions (template.Must,
// regexp.MustCompile) each serve one type; generic Must helpers live in large
// utility modules (samber/lo's lo.Must) that a runtime with no dependencies
// cannot import; and no library pairs the loaders with a once-per-name warning
// or with the import that registers a database/sql driver.
//
// Plugins have their own package, guard/guardplugin: importing the standard
// plugin package into a cgo program makes the linker keep every exported
// method of every reachable type and link the binary dynamically, which
// doubled a hello-world binary (2.4 MB static → 4.9 MB dynamic) when measured,
// and a program that only calls Must should not pay for plugins.
//
// There is no named variant of Must (MustLoad(name, v, err)): the errors of the
// loaders it is meant for (sql.Open, plugin.Open, time.LoadLocation,
// template.ParseFiles and friends) already name what failed, and a named
// variant cannot wrap a call in place, since Go spreads a multi-value call
// only when it is the sole argument.
//
// # Once-per-name state
//
// Optional remembers, for the life of the process, which names it has
// warned about. The state lives in one unexported registry; it affects only
// whether a warning is logged again, never Optional's result, so tests of code
// that calls Optional see the same results in any order. This package's own
// tests swap the registry for a fresh one (see export_test.go).
package guard

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Must returns v if err is nil and panics otherwise.
//
// Must is for start-up code, where a required dependency that fails to load
// should stop the program before it serves anything. It does not block. The
// panic value is an error whose text reads
// "guard: required dependency failed to load: " followed by err's text, and
// which wraps err, so a recover that inspects it can use errors.Is and
// errors.As.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Errorf("guard: required dependency failed to load: %w", err))
	}
	return v
}

// Optional reports whether an optional dependency called name loaded, that
// is, whether err is nil. The first time err is not nil for a given name,
// Optional logs one warning through slog.Default() at level Warn, with the
// attributes "name" and "error" and the caller's source location; later
// failures for the same name are not logged again, so Optional may sit on a
// hot path. It does not block beyond the handler's own work and is safe for
// concurrent use.
//
// A warning is counted as given only when the default logger is enabled for
// level Warn; a failure while warnings are disabled is not remembered.
//
// name should be a constant naming the dependency ("geoip database",
// "redis cache"): each distinct name is remembered for the life of the
// process. Optional panics if name is empty, whatever err is, so that the
// mistake shows on the first run rather than on the first failure.
func Optional(name string, err error) bool {
	if name == "" {
		panic("guard: Optional called with an empty name")
	}
	if err == nil {
		return true
	}
	defaultRegistry.warnOnce(name, err)
	return false
}

// defaultRegistry holds Optional's once-per-name state. It is replaced only
// by this package's tests.
var defaultRegistry = &registry{}

// A registry remembers which optional dependencies have been warned about.
type registry struct {
	warned sync.Map     // name → struct{}; sync.Map because keys are written once and read often
	logger *slog.Logger // nil means slog.Default() at the time of the warning
}

// warnOnce logs err for name unless a warning for name was logged before.
// It must be called directly by Optional: it reports Optional's caller as
// the warning's source.
func (r *registry) warnOnce(name string, err error) {
	if _, warned := r.warned.Load(name); warned {
		return // the common case once a dependency has failed: keep it cheap
	}
	logger := r.logger
	if logger == nil {
		logger = slog.Default()
	}
	ctx := context.Background()
	if !logger.Enabled(ctx, slog.LevelWarn) {
		return // nothing would be written: do not use up the name's one warning
	}
	if _, loaded := r.warned.LoadOrStore(name, struct{}{}); loaded {
		return // another goroutine warned about this name first
	}
	// Build the record by hand, as log/slog's documentation suggests for
	// wrappers, so that the source location is the caller of Optional rather
	// than this file.
	var pcs [1]uintptr
	runtime.Callers(3, pcs[:]) // skip runtime.Callers, warnOnce, Optional
	rec := slog.NewRecord(time.Now(), slog.LevelWarn, "guard: optional dependency unavailable", pcs[0])
	rec.AddAttrs(slog.String("name", name), slog.Any("error", err))
	_ = logger.Handler().Handle(ctx, rec) // slog.Logger drops handler errors too
}

// SQLDriver returns nil if a database/sql driver called name is registered,
// and a *MissingDriverError otherwise. It does not block.
//
// Call it at start-up with the driver name later passed to sql.Open: sql.Open
// itself reports an unregistered driver, but the error is easy to discard
// (the silentimport analyzer reports that) and does not say which import
// registers the driver.
func SQLDriver(name string) error {
	registered := sql.Drivers()
	if slices.Contains(registered, name) {
		return nil
	}
	if registered == nil {
		registered = []string{} // known to be empty, unlike a MissingDriverError made by hand
	}
	return &MissingDriverError{Name: name, Import: wellKnownDrivers[name], registered: registered}
}

// A MissingDriverError reports a database/sql driver name that no imported
// package registered.
type MissingDriverError struct {
	Name string // the driver name passed to SQLDriver
	// Import is the import path that usually registers Name, or "" when the
	// name is not a well-known one. The driver package is normally imported
	// for its side effect only: import _ "github.com/lib/pq".
	Import string

	registered []string // sorted names registered when SQLDriver was called; nil if unknown
}

// Error names the driver, the import that usually registers it, and the
// drivers that were registered. On a MissingDriverError made by hand, which
// cannot know the last, it leaves them out.
func (e *MissingDriverError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "guard: database/sql driver %q is not registered", e.Name)
	if e.Import != "" {
		fmt.Fprintf(&b, "; add import _ %q", e.Import)
	}
	switch {
	case e.registered == nil:
	case len(e.registered) == 0:
		b.WriteString(" (no driver is registered)")
	default:
		fmt.Fprintf(&b, " (registered: %s)", strings.Join(e.registered, ", "))
	}
	return b.String()
}

// wellKnownDrivers maps a driver name to the import path of the package whose
// init registers it. Only names with one usual registrant are listed. The
// silentimport analyzer, in a module that cannot import this one, keeps the
// same table (driverImports in analyzers/silentimport/registry.go); change
// both together.
var wellKnownDrivers = map[string]string{
	"postgres":    "github.com/lib/pq",
	"pgx":         "github.com/jackc/pgx/v5/stdlib",
	"pgx/v5":      "github.com/jackc/pgx/v5/stdlib",
	"mysql":       "github.com/go-sql-driver/mysql",
	"sqlite3":     "github.com/mattn/go-sqlite3",
	"sqlite":      "modernc.org/sqlite",
	"sqlserver":   "github.com/microsoft/go-mssqldb",
	"mssql":       "github.com/microsoft/go-mssqldb",
	"clickhouse":  "github.com/ClickHouse/clickhouse-go/v2",
	"snowflake":   "github.com/snowflakedb/gosnowflake",
	"godror":      "github.com/godror/godror",
	"oracle":      "github.com/sijms/go-ora/v2",
	"firebirdsql": "github.com/nakagami/firebirdsql",
	"trino":       "github.com/trinodb/trino-go-client/trino",
	"spanner":     "github.com/googleapis/go-sql-spanner",
	"duckdb":      "github.com/marcboeker/go-duckdb",
	"libsql":      "github.com/tursodatabase/libsql-client-go/libsql",
}
