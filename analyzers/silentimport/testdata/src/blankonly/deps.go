package blankonly // want package:"formats"

// A list of dependencies, imported for their effect.

import (
	_ "crypto/sha256" // silent: the file is nothing but blank imports
	_ "image/png"
)
