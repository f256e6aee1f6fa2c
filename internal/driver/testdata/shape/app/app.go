package app

import (
	"example.com/dep"
)

func Start() {
	go dep.Work()
}
