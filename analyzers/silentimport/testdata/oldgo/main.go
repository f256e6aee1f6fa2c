package main

import (
	"os"
	"time"
)

func main() {
	// No guard.Must fix: this module is at Go 1.17, before generics.
	loc, _ := time.LoadLocation(os.Getenv("TZ")) // want `error of time.LoadLocation discarded`
	_ = loc
}
