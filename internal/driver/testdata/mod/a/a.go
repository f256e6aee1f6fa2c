// Package a holds the hazards the sample analyzer reports.
package a

func Hazard()   {}
func Safe()     {}
func MarkDone() {}

func F() {
	Hazard()

	//resilvet:ignore sample a reason given
	Hazard()

	//resilvet:ignore sample
	Hazard()
}

//resilvet:ignore sample nothing to suppress here
func G() {}
