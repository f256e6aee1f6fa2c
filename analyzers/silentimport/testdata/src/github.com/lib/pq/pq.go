package pq // want package:"registers\\(postgres\\)"

import (
	"database/sql"
	"database/sql/driver"
	"errors"
)

// Driver is a stub SQL driver.
type Driver struct{}

func (*Driver) Open(string) (driver.Conn, error) { return nil, errors.New("stub") }

func init() {
	sql.Register("postgres", &Driver{})
}
