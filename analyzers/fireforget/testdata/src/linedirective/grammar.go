// Package linedirective has code whose //line directive names a line past
// the end of this file, as generated parsers do: the fix must edit the
// physical lines, and nothing may fail.
package linedirective

func work() {}

func start() {
//line grammar.y:500
	go func() { // want `goroutine is never waited for`
		work()
	}()
}
