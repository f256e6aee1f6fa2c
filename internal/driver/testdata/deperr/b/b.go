package b

import "example.com/deperr/a"

var Y = a.X
