package readonly

func Hazard() {}
func Safe()   {}

func F() { Hazard() }
