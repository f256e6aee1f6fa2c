package newer

import (
	"context"
	"os"
	"os/exec"
)

// With Dir set, cmd.Environ() (Go 1.19) is what Start would use: it also
// sets PWD to the directory.
func buildIn(ctx context.Context, dir string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "./...")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	os.Setenv("CGO_ENABLED", "0") // want `os\.Setenv\("CGO_ENABLED", …\) passes CGO_ENABLED to the child process started by cmd\.CombinedOutput`
	out, err := cmd.CombinedOutput()
	os.Unsetenv("CGO_ENABLED")
	return out, err
}
