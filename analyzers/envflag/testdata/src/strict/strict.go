package strict

import (
	"os"
	"os/exec"
)

var booting bool

func step() error { return nil }

// The strict profile reports all three.
func boot() error {
	booting = true // want `booting is set to true and reset`
	if err := step(); err != nil {
		return err
	}
	booting = false
	return nil
}

func build() error {
	os.Setenv("GOOS", "linux") // want `passes GOOS to the child process`
	defer os.Unsetenv("GOOS")
	return exec.Command("go", "build").Run()
}

func UseRegion(region string) {
	os.Setenv("CLOUD_REGION", region) // want `os\.Setenv in a library`
}
