package blank

// Silent below, with no comment: embed and unsafe are imported blank for
// //go:embed and //go:linkname.

import (
	_ "embed"
	_ "unsafe"
)
