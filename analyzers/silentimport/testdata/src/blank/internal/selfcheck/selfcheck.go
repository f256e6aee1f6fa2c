// Package selfcheck runs checks in init.
package selfcheck

func init() {}
