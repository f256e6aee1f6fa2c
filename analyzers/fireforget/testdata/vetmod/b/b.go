// Package b calls the launcher of package a, which it imports.
package b

import "example.com/vetmod/a"

func work() {}

func Start() {
	a.SafeGo(work)
}
