// In GOPATH mode no go.mod gives the package a Go version, so a file
// without a //go:build version has none: fixes that need a version do not
// apply.
package version

func Plain() {} // want `version="" go1.21=false go1.22=false`
