// Package testfilesoff has a go statement in a _test.go file, not reported
// by default.
package testfilesoff

func work() {}
