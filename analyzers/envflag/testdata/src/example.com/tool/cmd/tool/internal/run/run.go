// Package run is part of a command: a path element cmd.
package run

import "os"

// Silent: the command's own process.
func Setup() {
	os.Setenv("TERM", "dumb")
}
