package parseorder

func A() int { return "not an int" }
