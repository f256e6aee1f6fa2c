package main

import (
	"os"
	"os/exec"
)

// Silent: main sets the variable for the rest of the command's life,
// child included.
func main() {
	os.Setenv("GOFLAGS", "-mod=mod")
	exec.Command("go", "build").Run()
}
