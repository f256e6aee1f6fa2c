//go:build (linux && cgo) || (darwin && cgo) || (freebsd && cgo)

package guardplugin

// supported mirrors the build constraint of the standard plugin package's
// working implementation (plugin_dlopen.go); elsewhere plugin.Open only
// returns "plugin: not implemented". A constraint rather than a match on that
// text: the text is not part of the plugin package's API.
const supported = true
