// Package fix holds go statements whose fix is checked against fix.go.golden.
package fix

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"time"
)

func work()                 {}
func workErr() error        { return nil }
func pair() (int, error)    { return 0, nil }
func two() (int, string)    { return 0, "" }
func use(int, string)       {}
func logAll(xs ...string)   {}
func next() int             { return 0 }
func process[T any](xs []T) {}

// No context in scope: context.Background().
func plain() {
	go work() // want `goroutine is never waited for`
}

// The context in scope is passed to task.Go.
func withCtx(ctx context.Context) {
	go work() // want `goroutine is never waited for`
}

// The request's context is not used: evaluating r.Context() is new (it
// panics on a nil request where the go statement did not).
func handler(w http.ResponseWriter, r *http.Request) {
	go work() // want `goroutine is never waited for`
}

// A function returning only an error: return it.
func serve(srv *http.Server) {
	go srv.ListenAndServe() // want `go statement drops the error of \(\*http.Server\).ListenAndServe`
}

// Results besides the error are dropped.
func pairs() {
	go pair() // want `go statement drops the error of fix.pair`
}

type Server struct {
	conn    *Conn
	onEvent func(string) error
	name    string
}

type Conn struct{}

func (c *Conn) write(b []byte) {}

func (c Conn) ping() {}

// The receiver expression is evaluated when the go statement runs: the
// method value is bound first.
func (s *Server) send(b []byte) {
	go s.conn.write(b) // want `goroutine is never waited for`
}

// A value method through a pointer copies the value when the go statement
// runs.
func pinger(c *Conn) {
	go c.ping() // want `goroutine is never waited for`
}

// A local variable that nothing changes needs no binding.
func stableRecv() {
	c := &Conn{}
	go c.write(nil) // want `goroutine is never waited for`
}

// A func-typed field and a non-constant argument are bound.
func (s *Server) emit() {
	go s.onEvent(s.name) // want `go statement drops the error of the function it starts`
}

// Generic functions, explicit and inferred.
func generic(xs []int) {
	go process[int](xs) // want `goroutine is never waited for`
	go process(xs)      // want `goroutine is never waited for`
}

// Variadic calls.
func variadic(xs []string, a string) {
	go logAll(xs...)      // want `goroutine is never waited for`
	go logAll(a, "const") // want `goroutine is never waited for`
}

// A changing variable is bound; a constant is not.
func changing() {
	n := 1
	go use(n, "x") // want `goroutine is never waited for`
	n++
	_ = n
}

// Arguments are evaluated in order, before the goroutine starts.
func ordered() {
	go use(next(), time.Now().String()) // want `goroutine is never waited for`
}

// A multi-valued argument.
func multi() {
	go use(two()) // want `goroutine is never waited for`
}

// A closure's body moves into the task; its bare returns return nil.
func closure(items []string) {
	go func() { // want `goroutine is never waited for`
		for _, it := range items {
			if it == "" {
				return
			}
			work()
		}
	}()
}

// A closure's parameters become locals of the task.
func closureParams(items []string) {
	for i := range items {
		go func(id int, name string) { // want `goroutine is never waited for`
			_ = id
			_ = name
		}(i, items[i])
	}
}

// A constant argument keeps its parameter's type.
func closureConst() {
	go func(d time.Duration) { // want `goroutine is never waited for`
		time.Sleep(d)
	}(5)
}

// An unused parameter's argument is still evaluated.
func closureUnused() {
	go func(_ int) { // want `goroutine is never waited for`
		work()
	}(next())
}

// A variadic closure gets its arguments as a slice; an argument whose own
// type is not the parameter's is converted.
func closureVariadic(r *strings.Reader) {
	go func(xs ...int) { // want `goroutine is never waited for`
		_ = xs
	}(1, next())
	go func(rd io.Reader) { // want `goroutine is never waited for`
		_ = rd
	}(r)
}

// A closure that never ends needs no final return.
func forever() {
	go func() { // want `goroutine is never waited for`
		for {
			time.Sleep(time.Second)
		}
	}()
}

// A closure returning an error keeps its result.
func closureErr() {
	go func() (err error) { // want `go statement drops the error of the function it starts`
		err = workErr()
		return
	}()
}

// On one line.
func oneLine() {
	run(func() { go use(next(), "x") }) // want `goroutine is never waited for`
	go func() { work() }()              // want `goroutine is never waited for`
}

func run(f func()) { f() }

// A goroutine that ends itself with runtime.Goexit gets no fix: task.Go
// would log the Goexit as the task's failure.
func goexits() {
	go func() { // want `goroutine is never waited for`
		work()
		runtime.Goexit()
	}()
	go quit() // want `goroutine is never waited for`
}

func quit() { runtime.Goexit() }

// A labelled go statement gets no fix.
func labelled() {
L:
	go work() // want `goroutine is never waited for`
	goto L
}
