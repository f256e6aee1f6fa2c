//go:build special

package tagged

func Hazard() {}

func F() { Hazard() }
