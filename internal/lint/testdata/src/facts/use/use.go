package use

import "facts/dep"

func MarkLocal() {}

func f() {
	dep.MarkA() // want `call of marked function MarkA`
	dep.Plain()
	MarkLocal() // want `call of marked function MarkLocal`
}
