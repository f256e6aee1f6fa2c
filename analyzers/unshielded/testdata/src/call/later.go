package call

import (
	"context"
	"net"
	"net/http"
)

type scraper struct{ req *http.Request }

// The request is built once and kept: every later use brings its ctx.
func (s *scraper) prepare(ctx context.Context, url string) error {
	req, err := http.NewRequest("GET", url, nil) // silent: stored in a field below, for later calls
	s.req = req
	_ = ctx
	return err
}

func (s *scraper) build(ctx context.Context, url string) (err error) {
	s.req, err = http.NewRequest("GET", url, nil) // silent: stored in a field, for later calls
	_ = ctx
	return err
}

// The request is written onto a connection by hand: nothing reads its
// context.
func writeRaw(ctx context.Context, conn net.Conn, url string) error {
	req, err := http.NewRequest("GET", url, nil) // silent: never sent through a client
	if err != nil {
		return err
	}
	_ = ctx
	return req.Write(conn)
}

// Sent through a client: the context matters.
func send(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequest("GET", url, nil) // want `http.NewRequest is not cancelled when ctx is`
	if err != nil {
		return err
	}
	_, err = c.Do(req)
	return err
}

// A unix socket: nothing remote to give up on.
func local(ctx context.Context) (net.Conn, error) {
	_ = ctx
	return net.Dial("unix", "/run/app.sock") // silent: a local socket
}

// A result dropped into _ is not stored for later.
func dropped(ctx context.Context, c *http.Client, url string) error {
	if _, err := http.Get(url); err != nil { // want `http.Get is not cancelled when ctx is`
		return err
	}
	_ = c
	return nil
}
