// Package testfiles has a go statement in a _test.go file, reported only
// with -fireforget.tests.
package testfiles

func work() {}
