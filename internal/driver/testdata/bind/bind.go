package bind

import (
	"fmt"
)

func Next() int { return 0 }
func UseA(int)  {}
func UseB(int)  {}
func work()     { fmt.Println() }

func F() {
	UseA(Next())
	go work()
	UseB(Next())
}
