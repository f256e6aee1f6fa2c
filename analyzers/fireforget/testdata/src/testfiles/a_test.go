package testfiles

import "testing"

func TestWork(t *testing.T) {
	go work() // want `goroutine is never waited for`
}
