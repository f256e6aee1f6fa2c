package policy

import "testing"

var inTest *T

// Silent without -halfinit.tests.
func getInTest() *T {
	if inTest == nil {
		inTest = &T{}
	}
	return inTest
}

func TestGet(t *testing.T) {
	go getInTest()
	getInTest()
}
