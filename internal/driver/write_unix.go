//go:build unix

package driver

import "syscall"

// mayWrite reports whether this process may open name for writing.
func mayWrite(name string) bool {
	const wOK = 2 // W_OK of access(2)
	return syscall.Access(name, wOK) == nil
}
