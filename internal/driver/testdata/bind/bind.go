package bind

func Next() int { return 0 }
func UseA(int)  {}
func UseB(int)  {}

func F() {
	UseA(Next())
	UseB(Next())
}
