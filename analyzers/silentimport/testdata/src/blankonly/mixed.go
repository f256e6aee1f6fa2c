package blankonly

// want +2 `blank import of "image/gif" in a library`

import _ "image/gif"

// Decl makes this file more than a list of imports.
var Decl int
