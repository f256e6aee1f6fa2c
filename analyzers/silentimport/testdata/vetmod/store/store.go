// Package store keeps data in PostgreSQL.
package store

import (
	"database/sql"

	_ "example.com/vetmod/driver" // Store speaks to PostgreSQL only: it brings the driver.
)

// Open opens the store.
func Open(dsn string) (*sql.DB, error) { return sql.Open("postgres", dsn) }
