//go:build go1.20

// A //go:build line may lower a file's version, but not below go1.21,
// where downgrades took effect (go/types raises it back).
package versionmod

func Downgrade() {} // want `version="go1.21" go1.21=true go1.22=false`
