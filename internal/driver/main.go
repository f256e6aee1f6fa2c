// Package driver is the resilvet command: the standalone driver, its output
// formats, -fix and baselines, and the dispatch to unitchecker when go vet
// or go fix runs resilvet as their tool.
package driver

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

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
	if vetMode(os.Args[1:]) {
		// go vet -vettool and go fix -fixtool speak the unitchecker
		// protocol; unitchecker declares the same -NAME, -NAME.rules and
		// -NAME.tests flags from the analyzers' flag sets.
		unitchecker.Main(suite...)
		panic("unreachable")
	}
	os.Exit(Run(suite, os.Args[1:], os.Stdout, os.Stderr))
}

// vetMode reports whether the go command is running resilvet as its vet or
// fix tool, as multichecker decides: the protocol flags -V=full and -flags,
// or a single *.cfg argument after the flags.
func vetMode(args []string) bool {
	for _, a := range args {
		switch strings.TrimLeft(a, "-") {
		case "V=full", "flags":
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") &&
		!slices.ContainsFunc(args[:len(args)-1], func(a string) bool { return !strings.HasPrefix(a, "-") })
}

// version is resilvet's module version ("v0.1.0", or a pseudo-version for a
// build of a published commit), or "" for a development build: "(devel)",
// or a modified checkout ("+dirty"), whose version names no published code.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(bi.Main.Version, "v") && !strings.Contains(bi.Main.Version, "+") {
		return bi.Main.Version
	}
	return ""
}

func usage(w io.Writer) {
	fmt.Fprint(w, `resilvet finds the async and resilience hazards that take Go services down.

Usage:
	resilvet [flags] [packages]    analyse packages (default ".")
	resilvet help                  list analyzers, their rules and flags
	resilvet help NAME             document an analyzer (or NAME/rule)
	go vet -vettool=$(command -v resilvet) [packages]
	go fix -fixtool=$(command -v resilvet) [packages]

Exit status: 0 no findings, 1 findings, 2 usage, load or analysis error.
Run 'resilvet help' for the flags.
`)
}
