// Package silentimport defines an Analyzer that reports dependencies loaded
// at run time whose absence goes unnoticed: SQL drivers, plugins, time zone
// data, template files and image formats.
//
// # Analyzer silentimport
//
// silentimport: report fallible dynamic loads whose failure is silenced
//
// A Go program finds some of its dependencies only at run time: the SQL
// driver a blank import registered, a plugin file, the time zone database,
// template files, the image decoders registered by image/png and friends.
// When one is missing, the load returns an error; a program that drops that
// error runs on with a nil *sql.DB, a nil *time.Location or an empty
// template, and fails later, far from the cause.
//
// The loads the analyzer knows, by type, are these (one table in
// loads.go): sql.Open; plugin.Open and (*plugin.Plugin).Lookup;
// time.LoadLocation, except with the constant names "UTC", "Local" and "",
// which never fail; the ParseFiles, ParseGlob and ParseFS functions of
// text/template and html/template and the (*Template) methods of the same
// names, which fail the same way when a file is missing; image.Decode and
// image.DecodeConfig. Other calls are not its business: it is not errcheck.
//
// # Rule discarded
//
// discarded: the error of a fallible dynamic load is discarded
//
// The error result of a load is assigned to _ (x, _ := load(), x, _ =
// load(), var x, _ = load()), or the call is a statement of its own, which
// drops the error as surely. Discarding image.Decode's format name is fine;
// its error is not. A load under go or defer is not reported.
//
//	// WRONG
//	loc, _ := time.LoadLocation(name) // error of time.LoadLocation discarded: missing time zone data goes unnoticed
//
//	// RIGHT
//	loc, err := time.LoadLocation(name)
//	if err != nil {
//		return nil, err
//	}
//
// The fix rewrites the statement to return the error, when the enclosing
// function (or function literal) returns an error as its last result and the
// statement sits directly in a block: _ becomes a fresh error variable
// (err, or err1 and so on when err is already in scope, so no variable is
// shadowed or overwritten), and the statement is followed by
//
//	if err != nil {
//		return <zero values>, err
//	}
//
// A call statement becomes if _, err := load(); err != nil { … }; an
// assignment with = declares var err error first. Otherwise, directly in
// main or init of package main or in a package-level var of package main,
// where a failed load must stop the program starting, the fix wraps the
// call in guard.Must of github.com/resilvet/resilvet/runtime/guard, which
// panics with the load's error:
//
//	db := guard.Must(sql.Open("postgres", dsn))
//
// guard.Must is offered only under the runtime-fix policy (the runtime
// module is already in the package's import graph, or
// -silentimport.runtimefixes is set), for loads with one result besides
// the error, and in files compiled with Go 1.18 or later (it is generic).
// Either fix changes only what happens when the load fails: the function
// returns the error, or start-up panics. When the load succeeds the code
// runs as before. Where neither fix applies (an if or for header, a func
// literal in main, zero values that cannot be spelled), there is no fix.
//
// # Rule unregistered
//
// unregistered: a main package opens an SQL driver that no package of the
// program registers, or decodes images with no image format registered
//
// sql.Open finds drivers by name in a registry that the drivers' init
// functions fill; image.Decode finds decoders the same way. A program that
// opens "postgres" without importing github.com/lib/pq (or another package
// that calls sql.Register("postgres", …)) fails at run time with "sql:
// unknown driver". The analyzer records, for each package, the constant
// driver names it and its imports register and open, and whether they
// register an image format (image.RegisterFormat, as image/png, image/jpeg,
// image/gif and golang.org/x/image do) or decode images. In a main package
// it reports each constant name opened anywhere in the program that nothing
// registers, naming the usual import for well-known names, and a program
// that decodes images while registering no format at all. A use in the
// main package is reported where it is; one elsewhere in the program at
// func main, naming the package. Test files are not part of the program.
// A package-level string variable initialised with a constant and never
// assigned or addressed counts as that constant (go-sql-driver/mysql
// registers "mysql" so, to let -ldflags -X rename it). When any package
// calls sql.Register with any other name that is not a constant, the rule
// stays silent about drivers: any name may be registered. There is no fix:
// which driver package to import is the author's choice.
//
//	// WRONG
//	package main
//
//	import "database/sql"
//
//	func main() {
//		db, err := sql.Open("postgres", dsn) // sql driver "postgres" is never registered in this program: sql.Open fails with "unknown driver"; import _ "github.com/lib/pq" or another driver that registers it
//		...
//	}
//
//	// RIGHT
//	package main
//
//	import (
//		"database/sql"
//
//		_ "github.com/lib/pq" // registers the "postgres" driver
//	)
//
// # Rule silent-fallback
//
// silent-fallback: the branch taken when a load fails never uses the error
//
// The error of a load is checked, but the branch taken when it is not nil
// neither uses err (logging, returning, wrapping, errors.Is or As all use
// it, as does a bare return when err is a named result) nor says anything:
// it logs nothing (log, log/slog, fmt's Print functions and the common
// logging libraries count), returns no error and not false, does not panic
// or exit and writes no HTTP error. The program falls back, and nobody
// learns why. The branch is the body of if err != nil, or the else of if
// err == nil, on the statement right after the load or in its if header;
// other shapes are not judged, nor are validity checks that discard the
// loaded value (_, err := time.LoadLocation(name)), which load nothing to
// fall back from.
//
//	// WRONG
//	loc, err := time.LoadLocation(name)
//	if err != nil { // time.LoadLocation failure handled without using err: the fallback is silent
//		return time.UTC
//	}
//
//	// RIGHT
//	loc, err := time.LoadLocation(name)
//	if err != nil {
//		slog.Warn("time zone unavailable, using UTC", "zone", name, "err", err)
//		return time.UTC
//	}
//
// # Rule library-blank
//
// library-blank: a blank import in a library package with no comment saying
// why
//
// A blank import runs a package for its side effect: registering a driver,
// an image format, pprof handlers on http.DefaultServeMux, embedded time
// zone data. In a library, every program that imports the library inherits
// the side effect without seeing it, and a program that stops importing the
// library loses it without noticing. Such an import belongs in package main,
// or carries a comment, on its line or the line above, that says why (a
// bare //nolint directive does not); a comment above a run of blank
// imports on consecutive lines speaks for the whole run. Exempt are test
// files and packages, package main, generated files, files built only
// with the tools tag and packages named tools (the tools.go convention),
// the blank imports of embed and unsafe and of the packages the file's
// //go:linkname directives refer to, imports of internal packages, which
// are the library's own business (no program could import them instead),
// and imports whose side effect the library's own code uses: a package
// that registers an SQL driver this package opens by name, or an image
// format while this package decodes images.
//
// Off by default: its precision on programs is below the 90% bar
// (docs/precision.md, "Programs and libraries": 0 of 15). Most of its
// false positives register into a registry the importing package uses
// itself, through packages this exemption does not know yet (a packager
// the package then asks for by name, a crypto.Hash it then uses, a
// feature hook it reads). Switch it on with -silentimport.rules=+library-blank.
//
//	// WRONG
//	package store
//
//	import _ "github.com/lib/pq"
//	// ^ blank import of "github.com/lib/pq" in a library: programs get its side effect without seeing it; say why in a comment or move it to package main
//
//	// RIGHT
//	package store
//
//	// Store speaks to PostgreSQL only; importing it must make the
//	// driver available.
//	import _ "github.com/lib/pq"
package silentimport
