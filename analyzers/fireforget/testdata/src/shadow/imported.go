package shadow

import "context"

// The file's own context import is hidden here by a local: no fix, as
// imports would need a second import of the same path.
func hiddenImport(ctx context.Context) {
	context := "x"
	go work() // want `goroutine is never waited for`
	_ = context
}
