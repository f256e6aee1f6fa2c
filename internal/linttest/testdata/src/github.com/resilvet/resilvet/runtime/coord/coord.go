// Package coord is a stub of the runtime package that envflag knows.
package coord

// SetEnv sets the environment variable key and returns what restores it.
func SetEnv(key, value string) (restore func()) { return func() {} }

// A Flag is a process-wide "operation in progress" signal.
type Flag struct{ Name string }

// Raise raises the flag and returns what lowers this raise.
func (f *Flag) Raise() (lower func()) { return func() {} }

// Up reports whether the flag is up.
func (f *Flag) Up() bool { return false }
