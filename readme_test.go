package resilvet_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

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

// TestDocsListEveryAnalyzer checks that the README's analyzer table has one
// row per analyzer of the suite, and that docs/editors.md's nogo example
// lists every analyzer that has a package-level Analyzer (all but ignore),
// so an analyzer merged into Suite cannot be missing from them.
func TestDocsListEveryAnalyzer(t *testing.T) {
	t.Parallel()
	var names []string
	for _, a := range resilvet.Suite {
		names = append(names, a.Name)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "\n| analyzer | finds |")
	if !ok {
		t.Fatal("README.md has no analyzer table")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	var rows []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([a-z]+) \|`).FindAllStringSubmatch(table, -1) {
		rows = append(rows, m[1])
	}
	if !slices.Equal(sorted(rows), sorted(names)) {
		t.Errorf("README.md's analyzer table has rows %v, the suite is %v", rows, names)
	}

	editors, err := os.ReadFile("docs/editors.md")
	if err != nil {
		t.Fatal(err)
	}
	var deps []string
	for _, m := range regexp.MustCompile(`"@com_github_resilvet_resilvet//analyzers/([a-z]+)"`).FindAllStringSubmatch(string(editors), -1) {
		deps = append(deps, m[1])
	}
	want := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == "ignore" })
	if !slices.Equal(sorted(deps), sorted(want)) {
		t.Errorf("docs/editors.md's nogo deps are %v, want %v", deps, want)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestReadmeTestCommand checks that the README's test command is the one CI
// runs and names every module of the workspace, as it says it does.
func TestReadmeTestCommand(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?m)^(go test [^#\n]*?)\\s+#").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no test command")
	}
	command := string(m[1])
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(ci), "\n"), command) {
		t.Errorf(".ci/run does not run the README's test command %q", command)
	}
	work, err := os.ReadFile("go.work")
	if err != nil {
		t.Fatal(err)
	}
	wf, err := modfile.ParseWork("go.work", work, nil)
	if err != nil {
		t.Fatal(err)
	}
	patterns := strings.Fields(command)
	for _, u := range wf.Use {
		want := "./..."
		if u.Path != "." {
			want = "./" + strings.TrimPrefix(u.Path, "./") + "/..."
		}
		if !slices.Contains(patterns, want) {
			t.Errorf("the README's test command %q does not test the workspace module %s (%s)", command, u.Path, want)
		}
	}
}
