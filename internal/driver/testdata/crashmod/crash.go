package crashmod

func Crash() {}

func F() { Crash() }
