package readonly

func G() { Hazard() }
