package testfilesoff

import "testing"

func TestWork(t *testing.T) {
	go work() // silent: a test file, without -fireforget.tests
}
