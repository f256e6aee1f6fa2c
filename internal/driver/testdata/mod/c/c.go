package c

import (
	"fmt"
)

func work() { fmt.Println("working") }

func Start() {
	go work()
}
