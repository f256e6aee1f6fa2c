// Package tools keeps dependencies in go.mod, as a tools.go file does
// without its build tag.
package tools

// Silent below, with no comment: a package named tools is a list of
// dependencies.

import _ "expvar"
