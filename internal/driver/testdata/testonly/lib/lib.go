// Package lib is what the test-only directories test.
package lib

func Hazard()   {}
func Safe()     {}
func MarkDone() {}

func Use() {
	Hazard()
}
