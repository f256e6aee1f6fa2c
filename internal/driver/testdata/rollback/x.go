package rollback

func Hazard() {}
func Safe()   {}
func Breaks() {}

func F() {
	Breaks()
	Hazard()
}
