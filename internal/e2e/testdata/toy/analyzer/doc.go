// Package toy defines an Analyzer that reports calls of the print and
// println builtins. It is the analyzer docs/adding-an-analyzer.md builds:
// internal/e2e's TestToyAnalyzer adds it to a copy of the repository by
// its own package and one Suite line, and runs it in every driver.
//
// # Analyzer toy
//
// toy: report calls of the print builtins
//
// The print and println builtins write to standard error without a
// newline policy or a logger's fields.
//
// # Rule println
//
// println: a call of the println builtin
//
//	// WRONG
//	println("started") // println writes to standard error, unlike fmt.Println: use log or fmt
//
// # Rule print
//
// print: a call of the print builtin (off by default)
//
//	// WRONG
//	print("started") // print writes to standard error, unlike fmt.Print: use log or fmt
package toy
