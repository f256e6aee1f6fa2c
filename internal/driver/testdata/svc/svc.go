// Package svc is a small service module outside the repository: its go.mod
// neither requires nor replaces the runtime.
package svc

import (
	"fmt"
)

func work() { fmt.Println("working") }

func Start() {
	go work()
}

func Hazard() {}
func Safe()   {}

func F() {
	x := 1   +  2 // the user's own spacing: no fix touches this line
	_ = x
	Hazard()
}
