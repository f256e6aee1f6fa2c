// Package driver is a stand-in SQL driver registered as "postgres".
package driver

import (
	"database/sql"
	"database/sql/driver"
	"errors"
)

type stub struct{}

func (stub) Open(string) (driver.Conn, error) { return nil, errors.New("stub driver") }

func init() { sql.Register("postgres", stub{}) }
