package main

import (
	"log"

	"example.com/hazards/tasks"
)

// refreshLater goes through the launcher of another package.
func refreshLater() {
	tasks.SafeGo(func() { log.Print("refreshed") })
}
