package main

import (
	"example.com/brk/b"
	"example.com/brk/c"
)

var (
	_ b.B
	_ c.C
)

func main() {} // want `this program holds 3 hand-rolled circuit breakers, none sharing state with another: example.com/brk/a.A, example.com/brk/b.B, example.com/brk/c.C; keep one breaker per dependency with breaker.Get\(name, settings\)`
