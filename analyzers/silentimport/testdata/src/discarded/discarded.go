package discarded // want package:"opens\\(postgres@discarded\\) decodes\\(discarded\\)"

import (
	"database/sql"
	htmltemplate "html/template"
	"image"
	"io"
	"io/fs"
	"os"
	"plugin"
	"text/template"
	"time"
)

func openDB(dsn string) (*sql.DB, error) {
	db, _ := sql.Open("postgres", dsn) // want `error of sql.Open discarded: an unregistered driver goes unnoticed`
	return db, nil
}

func openDBChecked(dsn string) (*sql.DB, error) {
	// Silent: the error is checked.
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	return db, nil
}

type server struct{ loc *time.Location }

func (s *server) setZone(name string) error {
	s.loc, _ = time.LoadLocation(name) // want `error of time.LoadLocation discarded: missing time zone data goes unnoticed`
	return nil
}

func probe(path string) error {
	_, _ = plugin.Open(path) // want `error of plugin.Open discarded: a missing or incompatible plugin goes unnoticed`
	return nil
}

func addFiles(t *template.Template, name string) error {
	t.ParseFiles(name) // want `error of \(\*template.Template\).ParseFiles discarded: a missing or malformed template goes unnoticed`
	return nil
}

func decode(r io.Reader) (image.Image, error) {
	img, _, _ := image.Decode(r) // want `error of image.Decode discarded: an unregistered image format or a corrupt image goes unnoticed`
	return img, nil
}

func decodeKeepsError(r io.Reader) (image.Image, error) {
	// Silent: only the format name is discarded.
	img, _, err := image.Decode(r)
	if err != nil {
		return nil, err
	}
	return img, nil
}

func config(r io.Reader) (image.Config, error) {
	cfg, _, _ := image.DecodeConfig(r) // want `error of image.DecodeConfig discarded`
	return cfg, nil
}

func symbol(p *plugin.Plugin) (int, string, error) {
	sym, _ := p.Lookup("Version") // want `error of \(\*plugin.Plugin\).Lookup discarded: a missing plugin symbol goes unnoticed`
	_ = sym
	return 0, "", nil
}

const utc = "UTC"

func builtinZones() {
	// Silent: these names never fail.
	a, _ := time.LoadLocation("UTC")
	b, _ := time.LoadLocation("Local")
	c, _ := time.LoadLocation("")
	d, _ := time.LoadLocation(utc)
	_, _, _, _ = a, b, c, d
}

func consumed() *template.Template {
	// Silent: template.Must consumes the error.
	return template.Must(template.ParseFiles("a.tmpl"))
}

func noErrorResult(fsys fs.FS) {
	// No fix: the function cannot return the error.
	t, _ := htmltemplate.ParseGlob("*.html") // want `error of template.ParseGlob discarded`
	u := htmltemplate.New("x")
	u.ParseFS(fsys, "*.html") // want `error of \(\*template.Template\).ParseFS discarded`
	_ = t
}

func errInScope(name string) (*time.Location, error) {
	err := check()
	if err != nil {
		return nil, err
	}
	// The fix must not shadow or overwrite err: it declares err1.
	loc, _ := time.LoadLocation(name) // want `error of time.LoadLocation discarded`
	return loc, err
}

func check() error { return nil }

func inHeader(name string) *time.Location {
	// No fix: nothing can follow a statement in an if header.
	if loc, _ := time.LoadLocation(name); loc != nil { // want `error of time.LoadLocation discarded`
		return loc
	}
	return nil
}

func inLiteral(path string) {
	open := func() (*plugin.Plugin, error) {
		p, _ := plugin.Open(path) // want `error of plugin.Open discarded`
		return p, nil
	}
	_ = open
}

type fakeTime struct{}

func (fakeTime) LoadLocation(string) (*time.Location, error) { return nil, nil }

func shadowed() {
	// Silent: time here is a local value, not the time package.
	time := fakeTime{}
	loc, _ := time.LoadLocation("Mars/Olympus")
	_ = loc
}

func notOurs(name string) {
	// Silent: other discarded errors are errcheck's business.
	f, _ := os.Open(name)
	_ = f
	_ = os.Remove(name)
}

func deferred(t *template.Template) {
	// Silent: a load under defer or go is not reported.
	defer t.ParseGlob("*.tmpl")
}

func trailing(dsn string) (*sql.DB, error) {
	db, _ := sql.Open("postgres", dsn) // the fix goes after this comment // want `error of sql.Open discarded`
	return db, nil
}

func generic[T any](p *plugin.Plugin) (T, error) {
	sym, _ := p.Lookup("Value") // want `error of \(\*plugin.Plugin\).Lookup discarded`
	var zero T
	_ = sym
	return zero, nil
}

func varDecl(name string) (*time.Location, error) {
	var loc, _ = time.LoadLocation(name) // want `error of time.LoadLocation discarded`
	return loc, nil
}
