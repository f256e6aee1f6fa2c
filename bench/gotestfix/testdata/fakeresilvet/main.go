// Command fakeresilvet stands in for resilvet in gotestfix's tests: its
// -fix breaks the program in the way its name says (fakeresilvet-build,
// -vet, -output, -race, -idempotence, -exit), or makes a harmless change
// (fakeresilvet-ok), so that each check is seen to fail when it must. Its
// -json reports one finding with a fix in every .go file.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	mode := strings.TrimPrefix(filepath.Base(os.Args[0]), "fakeresilvet-")
	files, _ := filepath.Glob("*.go")
	switch {
	case slices.Contains(os.Args, "-json"):
		var diags []string
		for _, f := range files {
			abs, _ := filepath.Abs(f)
			diags = append(diags, fmt.Sprintf(`{"category": "fake/%s", "posn": %q, "message": "m", "suggested_fixes": [{"message": "Fix it", "edits": []}]}`, mode, abs+":1:1"))
		}
		fmt.Printf("{\n\t\"gotest\": {\n\t\t\"fake\": [%s]\n\t}\n}\n", strings.Join(diags, ", "))
		os.Exit(1)
	case slices.Contains(os.Args, "-fix"):
		if mode == "exit" {
			fmt.Fprintln(os.Stderr, "resilvet: after 1 round(s) of fixes, packages no longer build; please report this")
			os.Exit(2)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			if err := os.WriteFile(f, []byte(fix(mode, string(data))), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
		}
		fmt.Fprintf(os.Stderr, "resilvet: applied %d fixes to %d files in 1 round\n", len(files), len(files))
	default:
		fmt.Fprintln(os.Stderr, "fakeresilvet: -json or -fix")
		os.Exit(2)
	}
}

// marker makes a fix idempotent: a file that has it is fixed already.
const marker = "// fixed\n"

// fix returns src with mode's change. Every mode but idempotence changes a
// file once.
func fix(mode, src string) string {
	if mode == "idempotence" {
		return src + "// again\n" // each -fix adds another
	}
	if strings.Contains(src, marker) {
		return src
	}
	const body = "func main() {\n"
	var add string
	switch mode {
	case "build":
		add = "\tundefinedName()\n"
	case "vet":
		add = "\tif false {\n\t\tfmt.Printf(\"%d\\n\", \"x\")\n\t}\n"
	case "output":
		add = "\tfmt.Println(\"extra\")\n"
	case "race":
		add = "\tn := 0\n\tdone := make(chan bool)\n\tgo func() { n++; done <- true }()\n\tn++\n\t<-done\n"
	}
	return strings.Replace(src, body, marker+body+add, 1)
}
