package driver

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

// releaseVersion is the version of a build that the module system did not
// stamp: a distribution's package built from a release's source records
// "(devel)", and sets this instead, with
// -ldflags=-X=github.com/resilvet/resilvet/internal/driver.releaseVersion=v0.1.0.
var releaseVersion string

// version is resilvet's module version when the module system fetched it
// ("v0.1.0", or a pseudo-version, from go install …@version or as a
// dependency), or "" for a development build: one built in a checkout,
// whose version names no published code. See releasedVersion.
func version() string {
	if releaseVersion != "" {
		return releaseVersion
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	return releasedVersion(bi)
}

// releasedVersion returns the version of resilvet's module in bi if it came
// from the module system, else "". The module system records a checksum for
// a module it downloaded, and none for the main module of a build in a
// checkout, whose version is "(devel)" or, since Go 1.24, one stamped from
// the VCS: a pseudo-version of the checked-out commit (which may be local,
// and whose runtime the proxy does not have) or a tag's version. Such a
// build is a clone's, and -fix takes the runtime from the clone. Where
// resilvet is a dependency (a go.mod tool directive), its entry in Deps is
// the one to read; a replaced module's version names code it is not.
func releasedVersion(bi *debug.BuildInfo) string {
	m := &bi.Main
	if m.Path != lint.ModulePath {
		m = nil
		for _, d := range bi.Deps {
			if d.Path == lint.ModulePath {
				m = d
			}
		}
	}
	if m == nil || m.Replace != nil || m.Sum == "" || !strings.HasPrefix(m.Version, "v") {
		return ""
	}
	return m.Version
}

// versionLine is what -version and `resilvet version` print: the module
// version and the Go release it was built with, and for a development
// build the runtime source that -fix requires (see runtimeSource).
func versionLine() string {
	platform := goruntime.Version() + " " + goruntime.GOOS + "/" + goruntime.GOARCH
	if v := version(); v != "" {
		return fmt.Sprintf("resilvet %s %s", v, platform)
	}
	src := "unknown (built with -trimpath, or its clone moved: -fix needs -runtime DIR)"
	if dir, ok := builtFromRuntime(); ok {
		src = dir
	}
	return fmt.Sprintf("resilvet (devel) %s\nruntime source: %s", platform, src)
}

// printToolID answers the go command's -V=full handshake, which keys go
// vet's cache on the tool: "NAME version VERSION ... buildID=ID". For a
// version containing "devel", the go command keys on the content part of
// ID (after its last "/"), so ID is the Go build ID the linker stored in
// the binary, or a hash of the binary where none can be read; unitchecker's
// own answer hashes the binary too.
func printToolID(w io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	id, err := buildID(exe)
	if err != nil {
		return err
	}
	v := version()
	if v == "" {
		v = "devel"
	}
	_, err = fmt.Fprintf(w, "%s version %s %s buildID=%s\n", filepath.Base(exe), v, goruntime.Version(), id)
	return err
}

// buildID returns the Go build ID of the executable at path: the ELF note
// the linker writes, else the marked string it puts at the start of the text
// of every binary, else (a binary rewritten by a packager) a content hash.
func buildID(path string) (string, error) {
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if data, err := s.Data(); err == nil {
				if id, ok := parseNote(data, f.ByteOrder); ok {
					return id, nil
				}
			}
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	const prefix, suffix = "\xff Go build ID: \"", "\"\n \xff"
	if i := bytes.Index(data, []byte(prefix)); i >= 0 {
		rest := data[i+len(prefix):]
		if j := bytes.Index(rest, []byte(suffix)); j > 0 && j < 400 {
			return string(rest[:j]), nil
		}
	}
	return fmt.Sprintf("%x", sha256.Sum256(data)), nil
}

// parseNote reads the Go build ID note: name size, descriptor size, type 4,
// name "Go\x00\x00", then the ID.
func parseNote(data []byte, order binary.ByteOrder) (string, bool) {
	if len(data) < 16 {
		return "", false
	}
	nameSize, descSize, typ := order.Uint32(data), order.Uint32(data[4:]), order.Uint32(data[8:])
	if nameSize != 4 || typ != 4 || string(data[12:16]) != "Go\x00\x00" || uint32(len(data)-16) < descSize {
		return "", false
	}
	return string(data[16 : 16+descSize]), true
}

// builtFromRuntime returns the runtime module directory of the clone this
// binary was built from: the compiler records each source file's absolute
// path unless -trimpath is given, so this file's path names the clone. The
// directory counts only if its go.mod declares the runtime module.
func builtFromRuntime() (string, bool) {
	_, file, _, ok := goruntime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", false // -trimpath
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "runtime")
	if _, err := runtimeModuleAt(dir); err != nil {
		return "", false
	}
	return filepath.Clean(dir), true
}

// runtimeModuleAt checks that dir holds the runtime module's source and
// returns its go.mod.
func runtimeModuleAt(dir string) (*modfile.File, error) {
	gomod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		return nil, fmt.Errorf("%s is not the runtime module's directory: %w", dir, err)
	}
	f, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return nil, err
	}
	if f.Module == nil || f.Module.Mod.Path != match.RuntimePath {
		return nil, fmt.Errorf("%s is not the runtime module's directory: its go.mod does not declare module %s", dir, match.RuntimePath)
	}
	return f, nil
}
