package blank

// want +10 `blank import of "net/http/pprof" in a library`

import (
	// Register the formats this package decodes, gif, jpeg and png,
	// whichever of them the program's main package imports.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "expvar" // Silent: a line comment speaks for its own line only, so the next line is reported.
	_ "net/http/pprof"
)

// Silent below, with no comment: the package's own internal package may
// not be imported by any program instead.

import _ "blank/internal/selfcheck"

// Decoded makes this file more than a list of imports (see blankonly).
var Decoded int
