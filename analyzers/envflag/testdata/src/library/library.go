package library

import "os"

// UseProxy changes the environment of whichever program imports the
// package.
func UseProxy(url string) {
	os.Setenv("HTTPS_PROXY", url) // want `os\.Setenv in a library changes the environment of every program that imports it, under all its goroutines: take the value as a parameter, or set it on the child's exec\.Cmd\.Env`
}

// Temporarily: only the set is reported, not the reset that undoes it.
func WithTrace(f func()) {
	os.Setenv("TRACE", "1") // want `os\.Setenv in a library`
	defer os.Unsetenv("TRACE")
	f()
}

func Forget() {
	os.Unsetenv("TRACE") // want `os\.Unsetenv in a library`
	os.Clearenv()        // want `os\.Clearenv in a library`
}

// Silent: init runs at start-up, before the program's own goroutines.
func init() {
	os.Setenv("GODEBUG", "x509sha1=1")
}

// Silent: a package-level initializer runs at start-up too.
var _ = os.Setenv("LIBRARY_LOADED", "1")

// EnableTrace returns what restores the variable: only the set is
// reported, not the restore in the literal.
func EnableTrace() (restore func()) {
	old := os.Getenv("TRACE")
	os.Setenv("TRACE", "1") // want `os\.Setenv in a library`
	return func() { os.Setenv("TRACE", old) }
}

// Silent: the caller names the variable; the library sets it on the
// program's behalf, as runtime/coord's SetEnv does.
func SetVar(key, value string) (restore func()) {
	old, ok := os.LookupEnv(key)
	os.Setenv(key, value)
	return func() {
		if ok {
			os.Setenv(key, old)
		} else {
			os.Unsetenv(key)
		}
	}
}

// Silent: a loader of a file of settings the program chose to load.
func Load(vars map[string]string) {
	for k, v := range vars {
		os.Setenv(k, v)
	}
}
