// Package a dials: its Fetch can fail for a transient reason.
package a

import "net"

func Fetch(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }
