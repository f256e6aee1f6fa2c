// Command resilvet finds the async and resilience hazards that take Go
// services down, and fixes many of them.
//
//	resilvet [flags] [packages]
//	go vet -vettool=$(command -v resilvet) [packages]
//	go fix -fixtool=$(command -v resilvet) [packages]
//
// Run 'resilvet help' for the analyzers, their rules and the flags.
package main

import (
	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/driver"
)

func main() { driver.Main(resilvet.Suite) }
