package main

import (
	"database/sql"

	_ "github.com/go-sql-driver/mysql"
)

func main() {
	// Silent: go-sql-driver/mysql registers "mysql" through a variable
	// that only -ldflags -X can change.
	db, err := sql.Open("mysql", "")
	if err != nil {
		panic(err)
	}
	_ = db
}
