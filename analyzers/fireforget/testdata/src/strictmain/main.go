// Command strictmain starts its daemons from main: the strict profile
// reports them too.
package main

import "time"

func metrics() {
	for {
		time.Sleep(time.Second)
	}
}

func main() {
	go metrics() // want `goroutine is never waited for`
	select {}
}
