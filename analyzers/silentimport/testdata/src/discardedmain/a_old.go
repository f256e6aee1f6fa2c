package main

import "time"

func init() {
	// No fix: this file's Go version is unknown (no go line, no
	// //go:build goN), and guard.Must is generic.
	loc, _ := time.LoadLocation("Asia/Tokyo") // want `error of time.LoadLocation discarded`
	_ = loc
}
