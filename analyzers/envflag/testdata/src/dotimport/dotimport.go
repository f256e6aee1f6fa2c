package dotimport

import (
	. "os"
	"os/exec"
)

// Reported with no fix: the fix names the os package, which a dot import
// leaves nameless here.
func build() error {
	Setenv("GOOS", "linux") // want `os\.Setenv\("GOOS", …\) passes GOOS to the child process started by cmd\.Run`
	defer Unsetenv("GOOS")
	cmd := exec.Command("go", "build")
	return cmd.Run()
}

func step() error { return nil }

// The unrestored fix copies the reset as written.
func boot() error {
	Setenv("BOOTING", "1") // want `os\.Setenv\("BOOTING", …\) is undone on some exit paths but not on 1 other`
	if err := step(); err != nil {
		return err
	}
	Unsetenv("BOOTING")
	return nil
}
