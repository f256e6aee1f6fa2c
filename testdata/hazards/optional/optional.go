// Package optional holds the post-mortem's silently-missing optional
// dependencies: loads whose failure is dropped or silently replaced.
package optional

import (
	"html/template"
	"image"
	"io"
	"log"
	"time"

	_ "net/http/pprof"
)

// office is nil when the time zone database is missing (a scratch image).
var office, _ = time.LoadLocation("Europe/Berlin")

// Zone falls back to UTC and tells nobody.
func Zone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// ZoneLogged is Zone fixed: the fallback is logged.
func ZoneLogged(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil { // silent: err is logged
		log.Printf("zone %s unavailable, using UTC: %v", name, err)
		return time.UTC
	}
	return loc
}

// Pages is nil, and the server answers 500, when a template file is missing.
func Pages(dir string) *template.Template {
	t, _ := template.ParseGlob(dir + "/*.html")
	return t
}

// Thumbnail returns nil for an image whose format nobody registered.
func Thumbnail(r io.Reader) image.Image {
	img, _, _ := image.Decode(r)
	return img
}

// Office returns the office's time zone.
func Office() *time.Location { return office }
