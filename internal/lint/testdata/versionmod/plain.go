// A file without a //go:build version has the module's go version.
package versionmod

func Plain() {} // want `version="go1.21" go1.21=true go1.22=false`
