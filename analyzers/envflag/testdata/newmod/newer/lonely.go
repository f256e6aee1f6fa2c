package newer

import (
	"os"
	"os/exec"
)

// No fix: with the set and its reset gone, nothing would use os in this
// file.
func vetIn(dir string) error {
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	os.Setenv("CGO_ENABLED", "0") // want `os\.Setenv\("CGO_ENABLED", …\) passes CGO_ENABLED`
	defer os.Unsetenv("CGO_ENABLED")
	return cmd.Run()
}
