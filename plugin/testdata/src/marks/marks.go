// Package marks exports a function whose fact the sample analyzer records.
package marks

func MarkDone() {}
