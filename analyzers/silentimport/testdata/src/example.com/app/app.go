package main

import (
	"database/sql"
	"os"

	"example.com/reports"
	"example.com/service"
)

func main() { // want `sql driver "sqlite3", opened in example.com/reports, is never registered in this program: sql.Open fails with "unknown driver"; import _ "github.com/mattn/go-sqlite3" or another driver that registers it`
	// Silent: example.com/store registers "postgres" (imported through
	// example.com/service).
	pg, err := sql.Open("postgres", os.Getenv("PG"))
	check(err)
	my, err := sql.Open("mysql", os.Getenv("MY")) // want `sql driver "mysql" is never registered in this program: sql.Open fails with "unknown driver"; import _ "github.com/go-sql-driver/mysql" or another driver that registers it`
	check(err)
	cu, err := sql.Open("custom", "") // want `sql driver "custom" is never registered in this program: sql.Open fails with "unknown driver"; import the package that registers it`
	check(err)
	// Silent: a driver name only known at run time.
	dyn, err := sql.Open(os.Getenv("DRIVER"), "")
	check(err)
	check(service.Start(""))
	_, err = reports.Open("r.db")
	check(err)
	_, _, _, _ = pg, my, cu, dyn
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
