package policytests

import "testing"

type T struct{}

var inTest *T

// Reported with -halfinit.tests.
func getInTest() *T {
	if inTest == nil { // want `lazy initialisation of inTest is not synchronised`
		inTest = &T{}
	}
	return inTest
}

func TestGet(t *testing.T) {
	go getInTest()
	getInTest()
}
