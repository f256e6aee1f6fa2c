// Command mainpkg starts goroutines in main, which the process ends.
package main

import "net/http"

func work() {}

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
}

func helper() {
	go work() // want `goroutine is never waited for`
}
