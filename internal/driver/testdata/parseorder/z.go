package parseorder

func Z() {
	if {
}
