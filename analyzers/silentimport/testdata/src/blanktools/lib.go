package blanktools

// want +2 `blank import of "expvar" in a library`

import _ "expvar"
