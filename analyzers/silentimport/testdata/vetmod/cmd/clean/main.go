// Command clean opens only "postgres", registered two imports away.
package main

import (
	"database/sql"

	_ "example.com/vetmod/service"
)

func main() {
	db, err := sql.Open("postgres", "")
	if err != nil {
		panic(err)
	}
	_ = db
}
