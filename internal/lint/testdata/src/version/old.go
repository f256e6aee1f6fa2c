//go:build go1.21

package version

func Old() {} // want `version="go1.21" go1.21=true go1.22=false`
