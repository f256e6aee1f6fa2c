package optional

import (
	"database/sql"
	"text/template"
	"time"
)

// Open opens the optional analytics database and never learns that the
// driver is missing.
func Open(dsn string) *sql.DB {
	db, _ := sql.Open("clickhouse", dsn)
	return db
}

// Local falls back to the machine's zone, silently.
func Local(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.Local
	}
	return loc
}

// Mail parses its templates, dropping the error of a method.
func Mail(dir string) *template.Template {
	t := template.New("mail")
	t, _ = t.ParseFiles(dir + "/welcome.txt")
	return t
}

// Report falls back when the else branch is the failure.
func Report(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	} else {
		return time.UTC
	}
}

// Layout returns nil, and tells nobody, when a template file is missing.
func Layout(files ...string) *template.Template {
	t, err := template.ParseFiles(files...)
	if err != nil {
		return nil
	}
	return t
}

// Zone2 checks the location in an if header and drops the error.
func Zone2(name string) *time.Location {
	if loc, _ := time.LoadLocation(name); loc != nil {
		return loc
	}
	return time.UTC
}
