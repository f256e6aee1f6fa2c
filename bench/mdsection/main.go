// Command mdsection replaces one section of a markdown file with its
// standard input, leaving the other sections alone:
//
//	... | go run ./bench/mdsection docs/performance.md "## Suite speed"
//
// The section runs from its heading to the next heading of the same or a
// higher level; if the file has no such heading the section is appended.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/resilvet/resilvet/bench/internal/mdsection"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, `usage: mdsection FILE "## Heading" < body`)
		os.Exit(2)
	}
	body, err := io.ReadAll(os.Stdin)
	if err == nil {
		title := "# " + strings.TrimSuffix(filepath.Base(os.Args[1]), filepath.Ext(os.Args[1]))
		err = mdsection.ReplaceFile(os.Args[1], title, os.Args[2], string(body))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mdsection:", err)
		os.Exit(1)
	}
}
