package driver

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// fixFiles is what -fix knows about files: their current content (the
// overlay's), whether they are generated, outside the user's modules, or
// read-only.
type fixFiles struct {
	r        *fixRun
	canWrite map[string]bool
	gen      map[string]bool
}

// see learns which files of out's packages are generated.
func (s *fixFiles) see(out *outcome) {
	if s.gen == nil {
		s.gen = make(map[string]bool)
	}
	for name := range generatedFiles(out) {
		s.gen[name] = true
	}
}

func (s *fixFiles) read(name string) ([]byte, error) {
	if c, ok := s.r.overlay[name]; ok {
		return c, nil
	}
	return os.ReadFile(name)
}

func (s *fixFiles) generated(name string) bool {
	return s.gen[name]
}

func (s *fixFiles) foreign(f *finding, name string) bool {
	if m := f.pkg.Module; m != nil {
		return !m.Main
	}
	return s.r.env.goroot != "" && strings.HasPrefix(name, s.r.env.goroot+string(filepath.Separator))
}

func (s *fixFiles) writable(name string) bool {
	w, ok := s.canWrite[name]
	if !ok {
		w = writable(name)
		s.canWrite[name] = w
	}
	return w
}

// A goEnvironment holds the go command's variables -fix needs.
type goEnvironment struct {
	goroot, gomodcache, gowork string
}

func readGoEnv() (goEnvironment, error) {
	out, err := exec.Command("go", "env", "-json", "GOROOT", "GOMODCACHE", "GOWORK").Output()
	if err != nil {
		return goEnvironment{}, fmt.Errorf("go env: %w", err)
	}
	var v struct{ GOROOT, GOMODCACHE, GOWORK string }
	if err := json.Unmarshal(out, &v); err != nil {
		return goEnvironment{}, fmt.Errorf("go env: %w", err)
	}
	if v.GOWORK == "off" {
		v.GOWORK = ""
	}
	return goEnvironment{goroot: v.GOROOT, gomodcache: v.GOMODCACHE, gowork: v.GOWORK}, nil
}
