//go:build !omit_pprof

// Package blankonly registers optional features: each file is one blank
// import behind a build tag, and importing the package is asking for them.
package blankonly

import _ "net/http/pprof" // silent: the file is nothing but blank imports
