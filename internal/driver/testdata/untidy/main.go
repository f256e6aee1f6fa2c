// Command untidy needs dep1.
package main

import "example.com/dep1"

func main() { dep1.F() }
