// Package lost holds go statements that drop an error, and look-alikes
// that do not.
package lost

import (
	"io"
	"net"
	"net/http"
)

type W struct{ conn net.Conn }

func (w *W) flush() error { return nil }

func (w *W) Write() {
	go w.flush() // want `go statement drops the error of \(\*lost.W\).flush: the failure goes unnoticed; start it with task.Go, which logs it`
}

func serve(srv *http.Server) {
	go srv.ListenAndServe() // want `go statement drops the error of \(\*http.Server\).ListenAndServe`
}

func literal() {
	go func() error { return nil }() // want `go statement drops the error of the function it starts`
}

// The error of Close is, by convention, not checked on teardown: the go
// statement is left to untracked.
func (w *W) closeLater() {
	go w.conn.Close() // want `goroutine is never waited for`
}

// The function keeps its own error: a deferred literal reads the named
// result.
type loop struct{ err error }

func (l *loop) run() (err error) {
	defer func() { l.err = err }()
	return nil
}

func (l *loop) start() {
	go l.run() // want `goroutine is never waited for`
}

// io.Copy between connections that the package closes ends with the error
// that closing them causes: it is not reported, and it is bounded.
type proxy struct{ in, out net.Conn }

func (p *proxy) pump() {
	go io.Copy(p.in, p.out) // silent: its error is how it learns of Close
}

func (p *proxy) Close() {
	p.in.Close()
	p.out.Close()
}
