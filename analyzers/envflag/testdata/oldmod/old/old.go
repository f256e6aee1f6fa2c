package old

import (
	"os"
	"os/exec"
)

// Go 1.18 has no (*exec.Cmd).Environ: with Dir set, os.Environ() would
// miss the PWD that Start sets, so there is no fix.
func buildIn(dir string) error {
	cmd := exec.Command("go", "build")
	cmd.Dir = dir
	os.Setenv("CGO_ENABLED", "0") // want `os\.Setenv\("CGO_ENABLED", …\) passes CGO_ENABLED to the child process started by cmd\.Run`
	defer os.Unsetenv("CGO_ENABLED")
	return cmd.Run()
}

// Without Dir, os.Environ() is what Start would use.
func build() error {
	cmd := exec.Command("go", "build")
	os.Setenv("CGO_ENABLED", "0") // want `os\.Setenv\("CGO_ENABLED", …\) passes CGO_ENABLED to the child process started by cmd\.Run`
	defer os.Unsetenv("CGO_ENABLED")
	return cmd.Run()
}
