package main

import "os"

// Silent: a program's own environment.
func main() {
	os.Setenv("GOGC", "off")
}
