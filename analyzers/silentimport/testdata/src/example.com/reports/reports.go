package reports // want package:"opens\\(sqlite3@example.com/reports\\)"

import "database/sql"

// Open opens the report database; nothing in the program registers sqlite3.
func Open(path string) (*sql.DB, error) { return sql.Open("sqlite3", path) }
