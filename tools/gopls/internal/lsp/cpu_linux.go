package lsp

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// CPUSoFar returns the user and system CPU time the running server process
// has used so far, from /proc: what one request costs, measured between
// two calls, depends much less than its wall time on what else the
// machine runs.
func (s *Server) CPUSoFar() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// the fields after it are counted from its closing parenthesis.
	_, rest, ok := strings.Cut(string(data), ") ")
	if !ok {
		return 0, fmt.Errorf("malformed /proc stat %q", data)
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed /proc stat %q", data)
	}
	// utime and stime, fields 14 and 15, in clock ticks of 1/100 s (the
	// USER_HZ that Linux reports to user space).
	var ticks int64
	for _, x := range f[11:13] {
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed /proc stat %q", data)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}
