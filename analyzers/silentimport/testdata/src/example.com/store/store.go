package store // want package:"registers\\(postgres\\) opens\\(postgres@example.com/store\\)"

import (
	"database/sql"

	_ "github.com/lib/pq" // Store speaks to PostgreSQL only.
)

// Open opens the store.
func Open(dsn string) (*sql.DB, error) { return sql.Open("postgres", dsn) }
