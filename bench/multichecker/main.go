// Command multichecker runs resilvet's suite under x/tools' multichecker, the
// reference driver that bench/driver.sh measures the resilvet command
// against: same analyzers, same loading, no resilvet driver code.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/resilvet/resilvet"
)

func main() { multichecker.Main(resilvet.Suite...) }
