//go:build (!linux && !darwin && !freebsd) || !cgo

package guardplugin

// supported is false where the standard plugin package is a stub; see
// supported.go.
const supported = false
