package testsflag

var hook bool

func step() error { return nil }
