// Command mainpkg starts goroutines in main, which the process ends.
package main

import (
	"net/http"
	"time"
)

func work() {}

func poll() {
	for {
		time.Sleep(time.Second)
	}
}

func init() {
	go work() // silent: the process ends with init's goroutines
}

func main() {
	go work()   // silent: the process ends with main's goroutines
	go func() { // silent: still main
		work()
	}()
	srv := &http.Server{}
	go srv.ListenAndServe() // want `go statement drops the error of \(\*http.Server\).ListenAndServe: the failure goes unnoticed; start it with task.Go, which logs it`
	helper()
	http.HandleFunc("/poll", func(w http.ResponseWriter, r *http.Request) {
		go poll() // want `goroutine is never waited for`
	})
}

// helper runs as main's own code, once: its daemon lives for the process.
func helper() {
	go poll() // silent: a command's daemon
}
