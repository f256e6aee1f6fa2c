// Package serve has no loop of its own: Debug runs because the function it
// calls does, which only net/http's fact says.
package serve

import "net/http"

// Debug serves the default handlers until the server fails.
func Debug() error { return http.ListenAndServe("localhost:6060", nil) } // want Debug:"runs"

// Hello ends by itself.
func Hello() string { return "hello" }
