// Package server is the example of the README's "Output" section.
package server

import (
	"context"
	"net/http"
	"time"
)

var cache map[string]string

func refresh() {
	for {
		cache = map[string]string{}
		time.Sleep(time.Minute)
	}
}

// Start starts the server's background work.
func Start(ctx context.Context, url string) (*http.Request, error) {
	go refresh()
	return http.NewRequest("GET", url, nil)
}
