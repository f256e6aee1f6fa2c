// Package guard is a stub of the runtime package the fixes import.
package guard

// Must returns v, or panics if err is not nil.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
