//go:build go1.22

package main

import (
	"os"
	"time"
)

func main() {
	// No fix: the runtime module is not in this program's import graph.
	loc, _ := time.LoadLocation(os.Getenv("TZ")) // want `error of time.LoadLocation discarded`
	_ = loc
}
