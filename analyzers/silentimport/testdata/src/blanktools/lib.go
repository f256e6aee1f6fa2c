package blanktools

// want +2 `blank import of "expvar" in a library`

import _ "expvar"

// V makes this file more than a list of imports.
var V int
