package dep

func Work() {}
