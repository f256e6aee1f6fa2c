//go:build go1.22

// A //go:build line may raise a file's version above the module's.
package versionmod

func Upgrade() {} // want `version="go1.22" go1.21=true go1.22=true`
