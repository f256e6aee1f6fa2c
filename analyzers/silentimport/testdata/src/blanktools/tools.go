//go:build tools

package blanktools

// Silent below, with no comment: a file built only with the tools tag
// records tool dependencies with blank imports.

import _ "expvar"
