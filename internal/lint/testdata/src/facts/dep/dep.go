package dep

func MarkA() {}

func Plain() {}
