package fallback // want package:"decodes\\(fallback\\)"

import (
	"errors"
	"fmt"
	"html/template"
	"image"
	"io"
	"io/fs"
	"log"
	"log/slog"
	"net/http"
	"plugin"
	"time"
)

func zone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil { // want `time.LoadLocation failure handled without using err: the fallback is silent`
		return time.UTC
	}
	return loc
}

func zoneInHeader(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err != nil { // want `time.LoadLocation failure handled without using err`
		return time.UTC
	} else {
		return loc
	}
}

func zoneElse(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	// Silent: an else if chain is not judged.
	if err == nil {
		return loc
	} else if false {
		return nil
	}
	return time.UTC
}

func zoneInverted(name string) (loc *time.Location) {
	loc, err := time.LoadLocation(name)
	if nil == err { // want `time.LoadLocation failure handled without using err`
		return loc
	} else {
		loc = time.UTC
	}
	return loc
}

func zoneInvertedReported(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err == nil { // want `time.LoadLocation failure handled without using err`
		return loc
	} else {
		return time.UTC
	}
}

func tmpl(name string) (*template.Template, error) {
	t, err := template.ParseFiles(name)
	if err != nil { // want `template.ParseFiles failure handled without using err`
		return nil, nil
	}
	return t, nil
}

func loadPlugin(path string) *plugin.Plugin {
	p, err := plugin.Open(path)
	if err != nil { // want `plugin.Open failure handled without using err`
	}
	return p
}

func shadowedInBranch(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil { // want `time.LoadLocation failure handled without using err`
		// The literal's err is another variable: the load's error is
		// still unused.
		report := func(err error) {}
		_ = report
		return time.UTC
	}
	return loc
}

// The negatives below are silent because the failure branch says
// something.

func logsErr(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		slog.Warn("no time zone data, using UTC", "zone", name, "err", err)
		return time.UTC
	}
	return loc
}

func logsWithoutErr(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		log.Printf("no time zone data for %s, using UTC", name)
		return time.UTC
	}
	return loc
}

func wraps(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("zone %s: %w", name, err)
	}
	return loc, nil
}

var errNoZone = errors.New("no zone")

func returnsOwnError(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errNoZone
	}
	return loc, nil
}

func inspects(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil
		}
		return time.UTC
	}
	return loc
}

func panics(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("no time zone data")
	}
	return loc
}

func httpError(w http.ResponseWriter, name string) {
	t, err := template.ParseFiles(name)
	if err != nil {
		http.Error(w, "template unavailable", http.StatusInternalServerError)
		return
	}
	_ = t
}

func notRightAfter(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	fmt.Sprint(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

func compound(name string, strict bool) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil && !strict {
		return time.UTC
	}
	return loc
}

func notALoad(r io.Reader) int {
	// Silent: io.ReadAll is not a load of the table.
	b, err := io.ReadAll(r)
	if err != nil {
		return 0
	}
	return len(b)
}

func decodeReturnsErr(r io.Reader) (image.Image, error) {
	img, _, err := image.Decode(r)
	if err != nil {
		return nil, err
	}
	return img, nil
}

func nakedReturn(name string) (loc *time.Location, err error) {
	// Silent: the bare return returns err, a named result.
	loc, err = time.LoadLocation(name)
	if err != nil {
		return
	}
	return loc, nil
}

func nakedReturnInLiteral(name string) (err error) {
	loc, err := time.LoadLocation(name)
	if err != nil { // want `time.LoadLocation failure handled without using err`
		// The bare return belongs to the literal, not to this function.
		f := func() (n int) { return }
		f()
		return nil
	}
	_ = loc
	return nil
}

func validZone(name string) bool {
	// Silent: false tells the caller that the load failed.
	_, err := time.LoadLocation(name)
	if err != nil {
		return false
	}
	return true
}

func validate(zone string, problems map[string]string) {
	// Silent: the location is discarded, so this is a validity check
	// whose verdict is recorded, not a load with a fallback.
	if _, err := time.LoadLocation(zone); err != nil {
		problems["zone"] = "not a time zone"
	}
}
