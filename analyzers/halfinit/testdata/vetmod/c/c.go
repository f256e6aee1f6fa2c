// Package c imports b only: b's fact, made from a's, says Connect can fail
// for a transient reason.
package c

import (
	"sync"

	"example.com/vetmod/b"
)

var addr = sync.OnceValues(b.Connect)

func Addr() (string, error) { return addr() }
