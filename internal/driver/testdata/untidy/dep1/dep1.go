// Package dep1 calls into dep2.
package dep1

import "example.com/dep2"

func F() { dep2.Hazard() }
