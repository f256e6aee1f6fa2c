package main

import (
	"database/sql"

	"example.com/dynreg"
)

func main() {
	// Silent: dynreg registers names computed at run time.
	db, _ := sql.Open("mysql", "") // want `error of sql.Open discarded`
	_ = db
	_ = dynreg.Register
}
