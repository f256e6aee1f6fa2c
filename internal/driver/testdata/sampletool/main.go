// Command sampletool is the resilvet driver running a stand-in analyzer, so
// that the driver's end-to-end tests do not depend on what the real
// analyzers report.
package main

import (
	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/analyzers/ignore"
	"github.com/resilvet/resilvet/internal/driver"
	"github.com/resilvet/resilvet/internal/driver/testdata/sampletool/other"
	"github.com/resilvet/resilvet/internal/driver/testdata/sampletool/sample"
)

func main() {
	analyzers := []*analysis.Analyzer{other.Analyzer, sample.Analyzer}
	driver.Main(append([]*analysis.Analyzer{ignore.New(analyzers)}, analyzers...))
}
