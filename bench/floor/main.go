// Command floor is the load floor that bench/perf.sh measures resilvet
// against: the resilvet driver running a single analyzer that does nothing
// but declare a fact type. An analyzer with facts makes go/analysis load,
// parse and type-check every dependency from source, as resilvet's suite
// does, so floor's wall time and peak RSS are what any fact-using suite
// costs before its analyzers do any work.
//
//	go build -o floor ./bench/floor && ./floor go/... net/http/...
//
// It is not part of the resilvet command: a user never needs it.
package main

import (
	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/driver"
	"github.com/resilvet/resilvet/internal/lint"
)

// doc is the analyzer's documentation in the doc.go form lint.New expects.
const doc = `// Package floor is the load floor.
//
// # Analyzer floor
//
// floor: load every package from source and report nothing
//
// # Rule none
//
// none: never reported
package floor
`

// fact is declared, never exported: declaring it is what makes the driver
// load dependencies from source.
type fact struct{}

func (*fact) AFact() {}

var floor = lint.New(lint.Spec{
	Name:  "floor",
	Doc:   doc,
	Rules: []*lint.Rule{{Name: "none", Default: true, Since: "v0.1.0"}},
	Facts: &lint.FactPass{
		Types: []analysis.Fact{new(fact)},
		Run:   func(*lint.Pass) (any, error) { return nil, nil },
	},
	Run: func(*lint.Pass) (any, error) { return nil, nil },
})

func main() { driver.Main([]*analysis.Analyzer{floor}) }
