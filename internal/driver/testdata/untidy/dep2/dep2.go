// Package dep2 is imported by dep1 only.
package dep2

func Hazard() {}
