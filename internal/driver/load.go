package driver

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loadMode is what every analyzer needs: syntax and types for all packages,
// since fact-exporting analyzers run over dependencies too.
const loadMode = packages.LoadAllSyntax | packages.NeedModule

// A loadConfig is what a load depends on besides the patterns.
type loadConfig struct {
	tests   bool
	tags    string
	overlay map[string][]byte // file → content that replaces it (-fix's rounds)
	modfile string            // -modfile: go.mod as -fix will write it, or ""
}

// A loadError is one error of a package or a dependency.
type loadError struct {
	file      string // absolute, or "" when the error has no position
	line, col int
	msg       string
	kind      packages.ErrorKind
}

// String formats e as "file:line:col: message", the file relative to the
// working directory when below it.
func (e loadError) String() string {
	switch {
	case e.file == "":
		return e.msg
	case e.col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", relPath(e.file), e.line, e.col, e.msg)
	case e.line > 0:
		return fmt.Sprintf("%s:%d: %s", relPath(e.file), e.line, e.msg)
	}
	return relPath(e.file) + ": " + e.msg
}

// load loads the packages named by patterns. It returns the root packages
// and every error found in them or their dependencies (see packageErrors).
// An error of the pattern itself (no module, nothing matched) is returned
// as err, in one sentence.
func load(patterns []string, lc loadConfig) ([]*packages.Package, []loadError, error) {
	cfg := &packages.Config{
		Mode:    loadMode,
		Tests:   lc.tests,
		Overlay: lc.overlay,
	}
	if lc.tags != "" {
		cfg.BuildFlags = append(cfg.BuildFlags, "-tags="+lc.tags)
	}
	if lc.modfile != "" {
		cfg.BuildFlags = append(cfg.BuildFlags, "-modfile="+lc.modfile)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, nil, cleanLoadError(err)
	}
	var roots []*packages.Package
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") {
			continue // the generated test main: nothing of the user's to analyse
		}
		roots = append(roots, p)
	}
	errs := packageErrors(pkgs)
	if len(roots) == 0 && len(errs) == 0 {
		return nil, nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	if msg, ok := noModule(roots, errs); ok {
		return nil, nil, errors.New(msg)
	}
	if msg, ok := noGoFiles(patterns, roots, errs); ok {
		return nil, nil, errors.New(msg)
	}
	return roots, errs, nil
}

// packageErrors returns the distinct errors of pkgs and their dependencies:
// syntax errors first, then the others, each group by file and position.
// A type error that only says an import could not be loaded is left out
// when the go command said why (a missing module, say): one cause, one
// message.
func packageErrors(pkgs []*packages.Package) []loadError {
	var errs []loadError
	seen := make(map[string]bool)
	add := func(e loadError) {
		if k := e.String(); !seen[k] {
			seen[k] = true
			errs = append(errs, e)
		}
	}
	var listed []string // what the go command said it could not provide
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if e.Kind == packages.ListError {
				listed = append(listed, e.Msg)
			}
		}
	})
	explained := func(path string) bool {
		re := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(path) + `($|[\s;:])`)
		return slices.ContainsFunc(listed, re.MatchString)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if m := couldNotImportRE.FindStringSubmatch(e.Msg); m != nil && e.Kind == packages.TypeError && explained(m[1]) {
				continue // the go command's error for that import says why
			}
			add(newLoadError(p, e))
		}
		if p.Module != nil && p.Module.Error != nil {
			add(loadError{file: p.Module.GoMod, msg: p.Module.Error.Err})
		}
	})
	slices.SortStableFunc(errs, func(a, b loadError) int {
		return cmp.Or(
			cmp.Compare(kindOrder(a.kind), kindOrder(b.kind)),
			cmp.Compare(a.file, b.file),
			cmp.Compare(a.line, b.line),
			cmp.Compare(a.col, b.col),
			cmp.Compare(a.msg, b.msg),
		)
	})
	return errs
}

var couldNotImportRE = regexp.MustCompile(`^could not import (\S+) \(`)

// kindOrder puts syntax errors first: a type error after one is often its
// consequence.
func kindOrder(k packages.ErrorKind) int {
	switch k {
	case packages.ParseError:
		return 0
	case packages.ListError:
		return 1
	}
	return 2
}

// newLoadError splits e's position into file, line and column.
func newLoadError(p *packages.Package, e packages.Error) loadError {
	le := loadError{msg: strings.TrimSpace(e.Msg), kind: e.Kind}
	pos := e.Pos
	if pos == "" || pos == "-" {
		// go list puts the position first in some messages.
		if file, rest, ok := strings.Cut(le.msg, ": "); ok && looksLikePosition(file) {
			pos, le.msg = file, rest
		}
	}
	if pos == "" || pos == "-" {
		le.msg = fmt.Sprintf("package %s: %s", p.PkgPath, le.msg)
		return le
	}
	file, line, col := splitPosition(pos)
	if !filepath.IsAbs(file) && p.Dir != "" {
		if _, err := os.Stat(filepath.Join(p.Dir, file)); err == nil {
			file = filepath.Join(p.Dir, file)
		} else if abs, err := filepath.Abs(file); err == nil {
			file = abs
		}
	}
	le.file, le.line, le.col = file, line, col
	return le
}

// splitPosition splits "file:line:col" (or "file:line", or "file").
func splitPosition(pos string) (file string, line, col int) {
	file = pos
	for i := 0; i < 2; i++ {
		j := strings.LastIndexByte(file, ':')
		if j < 0 {
			break
		}
		n, err := strconv.Atoi(file[j+1:])
		if err != nil {
			break
		}
		file = file[:j]
		line, col = n, line
	}
	return file, line, col
}

// looksLikePosition reports whether s is "file.go:line[:col]".
func looksLikePosition(s string) bool {
	file, line, _ := splitPosition(s)
	return strings.HasSuffix(file, ".go") && line > 0
}

// noModule recognises the go command's ways of saying that the working
// directory is in no module (or the patterns in none of its packages), and
// says it in one sentence.
func noModule(roots []*packages.Package, errs []loadError) (string, bool) {
	if len(roots) != 1 || roots[0].Name != "" || len(errs) != 1 {
		return "", false
	}
	msg := errs[0].msg
	if !strings.Contains(msg, "does not contain main module") && !strings.Contains(msg, "go.mod file not found") &&
		!strings.Contains(msg, "cannot find main module") {
		return "", false
	}
	gomod, err := goEnv("GOMOD")
	if err != nil || (gomod != "" && gomod != os.DevNull) {
		return "", false // in a module after all: the patterns name nothing in it
	}
	wd, _ := os.Getwd()
	return fmt.Sprintf("%s is not in a Go module (no go.mod here or above): run resilvet in a module's directory, or create one with go mod init", wd), true
}

// noGoFiles recognises patterns that all name directories without Go
// files — `resilvet` with the default "." at the root of a module whose
// code is in subdirectories, the first thing a newcomer may type — and
// says so in one sentence, rather than as a package that does not build.
func noGoFiles(patterns []string, roots []*packages.Package, errs []loadError) (string, bool) {
	if len(roots) == 0 || len(errs) != len(roots) {
		return "", false
	}
	var dirs []string
	for _, e := range errs {
		_, dir, ok := strings.Cut(e.msg, "no Go files in ")
		if !ok || e.file != "" {
			return "", false
		}
		dirs = append(dirs, relPath(dir))
	}
	for _, p := range roots {
		if p.Name != "" {
			return "", false
		}
	}
	hint := "name the packages to analyse, as in resilvet ./..."
	if len(patterns) == 1 && !strings.Contains(patterns[0], "...") {
		hint = "to analyse the packages below it: resilvet " + strings.TrimSuffix(patterns[0], "/") + "/..."
	}
	return fmt.Sprintf("no Go files in %s: %s", strings.Join(dirs, ", "), hint), true
}

// goEnv returns the go command's value of the variable name.
func goEnv(name string) (string, error) {
	out, err := exec.Command("go", "env", name).Output()
	return strings.TrimSpace(string(out)), err
}

// exitStatusRE matches go/packages' "go list: exit status 1: " prefix and
// its "err: exit status 1: stderr: " wrapping.
var exitStatusRE = regexp.MustCompile(`^(?:err: )?(?:go list: )?(?:exit status \d+: )?(?:stderr: )?(?:go: )?`)

// cleanLoadError drops go/packages' wrapping of the go command's message,
// which is what the user needs, and says plainly when there is no module.
func cleanLoadError(err error) error {
	msg := strings.TrimSpace(exitStatusRE.ReplaceAllString(err.Error(), ""))
	if strings.Contains(msg, "go.mod file not found") || strings.Contains(msg, "cannot find main module") {
		wd, _ := os.Getwd()
		return fmt.Errorf("%s is not in a Go module (no go.mod here or above): run resilvet in a module's directory, or create one with go mod init", wd)
	}
	return errors.New(msg)
}
