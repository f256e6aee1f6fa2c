//go:build go1.22

package policy

import "errors"

type T struct{}

var t *T

// The standard library's fix is offered whatever the runtime-fix policy.
func Get() *T {
	if t == nil { // want `lazy initialisation of t is not synchronised`
		t = &T{}
	}
	return t
}

func dial() (*T, error) { // want dial:"non-nil"
	if len("x") == 0 {
		return nil, errors.New("down")
	}
	return &T{}, nil
}

var conn *T

// The runtime's is not: the package does not depend on the runtime, and
// -halfinit.runtimefixes is not set.
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
