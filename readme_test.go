package resilvet_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/driver"
)

// TestReadmeFlags checks that the README's "### Flags" section documents
// exactly the command's flags: each bullet opens with one flag, in code.
func TestReadmeFlags(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n### Flags\n")
	if !ok {
		t.Fatal(`README.md has no "### Flags" section`)
	}
	section, _, _ = strings.Cut(section, "\n#")
	bullet := regexp.MustCompile("(?m)^- `-([A-Za-z][A-Za-z0-9.-]*)")
	var documented []string
	for _, m := range bullet.FindAllStringSubmatch(section, -1) {
		documented = append(documented, m[1])
	}
	var declared []string
	for _, f := range driver.FlagDocs(resilvet.Suite) {
		declared = append(declared, f.Name)
	}
	slices.Sort(documented)
	slices.Sort(declared)
	for _, name := range declared {
		if !slices.Contains(documented, name) {
			t.Errorf("README.md does not document -%s", name)
		}
	}
	for _, name := range documented {
		if !slices.Contains(declared, name) {
			t.Errorf("README.md documents -%s, which the command does not have", name)
		}
	}
	if len(documented) != len(slices.Compact(slices.Clone(documented))) {
		t.Errorf("README.md documents a flag twice: %v", documented)
	}
}
