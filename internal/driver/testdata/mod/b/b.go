package b

import "example.com/mod/a"

func Beta() {}

func H() {
	a.MarkDone()
	a.Hazard()
}
