//go:build !linux

package lsp

import (
	"errors"
	"time"
)

// CPUSoFar returns the CPU time the running server process has used so
// far; it is known only on Linux.
func (s *Server) CPUSoFar() (time.Duration, error) {
	return 0, errors.New("the CPU time of a running process is read only on Linux")
}
