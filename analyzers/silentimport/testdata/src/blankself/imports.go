package blankself // want package:"registers\\(mysql,postgres\\) opens\\(postgres@blankself\\) formats decodes\\(blankself\\)"

// Silent below, with no comment: this package opens "postgres", which pq
// registers, and decodes images, which image/png lets it do.
// want +5 `blank import of "github.com/go-sql-driver/mysql" in a library`

import (
	_ "image/png"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/lib/pq"
)

// V makes this file more than a list of imports.
var V int
