//go:build go1.22

package version

func New() {} // want `version="go1.22" go1.21=true go1.22=true`
