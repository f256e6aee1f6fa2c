package missingdep

import "example.com/nosuch/pkg"

var _ = pkg.X
