// Package a exports facts: Fetch can fail for a transient reason, New
// never returns nil.
package a

import "net/http"

type Client struct{ name string }

func New() *Client { return &Client{name: "a"} } // want New:"non-nil"

func Fetch() (string, error) { // want Fetch:"transient"
	resp, err := http.Get("http://auth/")
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return resp.Status, nil
}

// Wrap passes Fetch's failure on: transient too.
func Wrap() error { // want Wrap:"transient"
	_, err := Fetch()
	return err
}
