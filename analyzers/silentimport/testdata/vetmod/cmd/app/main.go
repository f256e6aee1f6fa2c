// Command app opens "postgres", registered by example.com/vetmod/driver,
// which is imported by store, which service imports: two imports away from
// this package. It also opens "mysql", which nothing registers.
package main

import (
	"database/sql"
	"os"

	"example.com/vetmod/service"
)

func main() {
	if err := service.Start(os.Getenv("PG")); err != nil {
		panic(err)
	}
	pg, err := sql.Open("postgres", os.Getenv("PG"))
	if err != nil {
		panic(err)
	}
	my, err := sql.Open("mysql", os.Getenv("MY"))
	if err != nil {
		panic(err)
	}
	_, _ = pg, my
}
