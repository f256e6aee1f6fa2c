//go:build go1.22

package main

import (
	"database/sql"
	"html/template"
	"image"
	"os"
	"plugin"
	"time"

	"github.com/resilvet/resilvet/runtime/guard"

	_ "image/png" // decodes PNG

	_ "github.com/lib/pq" // registers "postgres"
)

var zone, _ = time.LoadLocation("Europe/Paris") // want `error of time.LoadLocation discarded: missing time zone data goes unnoticed`

// Silent: guard.Must consumes the error.
var tmpl = guard.Must(template.ParseGlob("*.html"))

func init() {
	_, _ = plugin.Open("ext.so") // want `error of plugin.Open discarded`
}

func main() {
	db, _ := sql.Open("postgres", os.Getenv("DSN")) // want `error of sql.Open discarded`
	img, _, _ := image.Decode(os.Stdin)             // want `error of image.Decode discarded`
	go func() {
		// No fix: a func literal may run long after start-up.
		loc, _ := time.LoadLocation("Asia/Tokyo") // want `error of time.LoadLocation discarded`
		_ = loc
	}()
	template.New("x").ParseFiles("a.html") // want `error of \(\*template.Template\).ParseFiles discarded`
	_, _, _ = db, img, tmpl
}

func helper() {
	// No fix: a panic is no way to fail outside start-up code.
	loc, _ := time.LoadLocation("Asia/Tokyo") // want `error of time.LoadLocation discarded`
	_ = loc
}
