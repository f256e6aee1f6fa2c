// Package old predates Go 1.21: sync.OnceValue and the runtime (whose go
// line is 1.21) cannot be used, so no fix is offered.
package old

import (
	"errors"
	"sync"
)

type T struct{}

func newT() *T { return &T{} } // want newT:"non-nil"

var inst *T

func Get() *T {
	if inst == nil { // want `lazy initialisation of inst is not synchronised: .*; use sync.OnceValue`
		inst = newT()
	}
	return inst
}

func dial() (*T, error) { // want dial:"non-nil"
	if len("x") == 0 {
		return nil, errors.New("down")
	}
	return &T{}, nil
}

var conn *T

func Conn() (*T, error) {
	if conn == nil { // want `lazy initialisation of conn is not synchronised: .*; use singleton.Lazy`
		c, err := dial()
		if err != nil {
			return nil, err
		}
		conn = c
	}
	return conn, nil
}

var once sync.Once
