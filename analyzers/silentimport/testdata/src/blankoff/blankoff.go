// Package blankoff imports for effect without saying why, which
// library-blank reports only when it is switched on (blank has the same
// import, reported).
package blankoff

import _ "net/http/pprof"

// Serve is the package's own code.
func Serve() {}
