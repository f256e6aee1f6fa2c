// Package hazards exercises the sample stand-in analyzer through the plugin:
// a fix, a fact from another package and an off-by-default rule.
package hazards

import "marks"

func Hazard() {}
func Safe()   {}

func f() {
	Hazard()         // want `^call to Hazard is hazardous \(sample/hazard\)$`
	marks.MarkDone() // want `^call to marked function MarkDone \(sample/marked\)$`
	Safe()           // silent: not hazardous
}

func Beta() {} // want `^function named Beta \(sample/beta\)$`
