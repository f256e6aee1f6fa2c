package task

// ReopenDefault makes the default group usable again after a test shut it
// down.
func ReopenDefault() { std.reopen() }
