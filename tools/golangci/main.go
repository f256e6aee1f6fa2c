// Command golangci-lint is golangci-lint v2 with the resilvet module plugin
// built in: what `golangci-lint custom` makes from .custom-gcl.yml, built
// from the module proxy alone (`golangci-lint custom` clones golangci-lint
// from GitHub). scripts/build-golangci.sh builds it.
//
// It lives in its own module so that golangci-lint's dependencies never
// enter the resilvet module's graph, nor the graph of anyone who requires
// resilvet.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/resilvet/resilvet/plugin" // registers the resilvet linter
)

func main() {
	if err := commands.Execute(buildInfo()); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}

// buildInfo reports golangci-lint's version with a -custom-resilvet suffix,
// as `golangci-lint custom` marks its builds -custom-gcl, so that
// `golangci-lint version` tells this binary from a stock one.
func buildInfo() commands.BuildInfo {
	info := commands.BuildInfo{Version: "unknown", Commit: "?", Date: "(unknown)", GoVersion: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info // built without module support: nothing to report
	}
	info.GoVersion = bi.GoVersion
	for _, dep := range bi.Deps {
		if dep.Path == "github.com/golangci/golangci-lint/v2" {
			info.Version = strings.TrimPrefix(dep.Version, "v") + "-custom-resilvet"
		}
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			info.Commit = s.Value
		}
	}
	return info
}
