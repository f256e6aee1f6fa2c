package dynreg // want package:"dynamic"

import (
	"database/sql"
	"database/sql/driver"
)

// Register registers d under a name chosen at run time, so any name may
// be registered.
func Register(name string, d driver.Driver) { sql.Register(name, d) }
