// Package doctests_test is a directory of examples and nothing else, as
// go-redis's doctests are: an external test package with no package to
// test, so go list reports a package without compiled files or export data.
package doctests_test

import "example.com/testonly/lib"

func ExampleUse() {
	lib.Hazard()
	lib.MarkDone()
	// Output:
}
