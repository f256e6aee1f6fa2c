// Package driver is the resilvet command: the standalone driver, its output
// formats, -fix and baselines, and the dispatch to unitchecker when go vet
// or go fix runs resilvet as their tool.
package driver

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// Exit statuses of the standalone driver.
const (
	exitClean    = 0 // no findings
	exitFindings = 1 // findings (or, with -diff, changes to show)
	exitError    = 2 // usage, load or analysis error
)

// Main is the main function of a resilvet command running suite. It does not
// return.
func Main(suite []*analysis.Analyzer) {
	switch call := parseVetCall(suite, os.Args[1:]); {
	case call.version:
		if err := printToolID(os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "resilvet: %v\n", err)
			os.Exit(exitError)
		}
		os.Exit(exitClean)
	case call.vet:
		// go vet -vettool and go fix -fixtool speak the unitchecker
		// protocol; unitchecker declares the same -NAME, -NAME.rules and
		// -NAME.tests flags from the analyzers' flag sets.
		unitchecker.Main(vetSuite(suite)...)
		panic("unreachable")
	}
	os.Exit(Run(suite, os.Args[1:], os.Stdout, os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprint(w, `resilvet finds the async and resilience hazards that take Go services down.

Usage:
	resilvet [flags] [packages]    analyse packages (default ".")
	resilvet help                  list analyzers, their rules and flags
	resilvet help NAME             document an analyzer (or NAME/rule)
	resilvet version               print the version
	go vet -vettool=/path/to/resilvet [packages]
	go fix -fixtool=/path/to/resilvet [packages]

-vettool and -fixtool need resilvet's full path: given an empty one (say,
$(command -v resilvet) when resilvet is not on PATH) go vet runs its own
analyzers instead and reports the packages clean.

Exit status: 0 no findings, 1 findings, 2 usage, load or analysis error.
Run 'resilvet help' for the flags.
`)
}
