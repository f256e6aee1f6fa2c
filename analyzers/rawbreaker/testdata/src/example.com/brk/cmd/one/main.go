package main

import "example.com/brk/a"

var _ a.A

// main sees one hand-rolled breaker: nothing to add to its finding.
func main() {}
