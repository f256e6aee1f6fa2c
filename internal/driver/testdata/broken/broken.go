package broken

func F() {
	x :=
}
