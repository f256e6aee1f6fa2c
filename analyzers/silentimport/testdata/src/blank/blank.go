package blank // want package:"registers\\(postgres\\)"

// want +2 `blank import of "github.com/lib/pq" in a library: programs get its side effect without seeing it; say why in a comment or move it to package main`

import _ "github.com/lib/pq"

// want +5 `blank import of "image/png" in a library`
// want +5 `blank import of "net/http/pprof" in a library`

import (
	"fmt"
	_ "image/png"
	_ "net/http/pprof" //nolint:revive

	// Silent: the comment above says why.
	_ "image/gif"
	_ "image/jpeg"  // Silent: this comment says why.
	_ "time/tzdata" //nolint:revive // Silent: the text after the directive says why.
)

var _ = fmt.Sprint
