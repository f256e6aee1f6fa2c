package mysql // want package:"registers\\(mysql\\)"

import (
	"database/sql"
	"database/sql/driver"
	"errors"
)

// driverName may be changed with -ldflags -X only: it is assigned
// nowhere, so it counts as the constant it is initialised with.
var driverName = "mysql"

type mysqlDriver struct{}

func (mysqlDriver) Open(string) (driver.Conn, error) { return nil, errors.New("stub") }

func init() {
	if driverName != "" {
		sql.Register(driverName, mysqlDriver{})
	}
}
