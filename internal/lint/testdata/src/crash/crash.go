package crash

func Crash() {}

func f() { Crash() }
