package cgo

// #include <stdlib.h>
import "C"

func Hazard() {}

func F() {
	C.free(nil)
	Hazard()
}
