// Package clean has nothing to report.
package clean

func Fine() {}
