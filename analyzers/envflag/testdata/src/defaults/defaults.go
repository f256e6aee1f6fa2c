package defaults

import (
	"os"
	"os/exec"
)

var booting bool

func step() error { return nil }

// Silent with the default rules: each rule here is off by default.
func boot() error {
	booting = true
	if err := step(); err != nil {
		return err
	}
	booting = false
	return nil
}

func build() error {
	os.Setenv("GOOS", "linux")
	defer os.Unsetenv("GOOS")
	return exec.Command("go", "build").Run()
}

func UseRegion(region string) {
	os.Setenv("CLOUD_REGION", region)
}
