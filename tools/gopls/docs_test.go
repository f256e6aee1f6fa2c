package gopls

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/resilvet/resilvet/tools/gopls/suite"
)

// TestEditorsDoc checks the editor configurations docs/editors.md shows
// for this gopls: every RESILVET_FLAGS value parses as the patched gopls
// parses it at start (a bad one stops gopls), and every analyzer an
// "analyses" setting names is one of resilvet's, so that no example
// switches nothing. The editors themselves are not run here.
func TestEditorsDoc(t *testing.T) {
	doc := read(t, filepath.Join("..", "..", "docs", "editors.md"))
	const heading = "\n## gopls with resilvet inside\n"
	_, section, ok := strings.Cut(doc, heading)
	if !ok {
		t.Fatalf("docs/editors.md has no %q section", strings.TrimSpace(heading))
	}
	section, _, _ = strings.Cut(section, "\n## ")

	// The code blocks: the prose mentions the names without a value.
	var code strings.Builder
	for i, part := range strings.Split(section, "```") {
		if i%2 == 1 {
			code.WriteString(part)
		}
	}

	// RESILVET_FLAGS, then the quotes, colons, equals signs and spaces of
	// each editor's syntax, then the value up to its closing quote.
	flags := regexp.MustCompile(`RESILVET_FLAGS[\s"'=:]*(-[^"'\n]*)`).FindAllStringSubmatch(code.String(), -1)
	analyses := regexp.MustCompile(`analyses\W+(\w+)`).FindAllStringSubmatch(code.String(), -1)
	const editors = 7 // VS Code, Neovim, Helix, eglot, lsp-mode, Zed, Sublime Text
	if len(flags) < editors || len(analyses) < editors {
		t.Fatalf("found %d RESILVET_FLAGS values and %d analyses settings in the section's code, want %d of each: update this test with the page",
			len(flags), len(analyses), editors)
	}
	for _, m := range flags {
		if _, err := suite.Analyzers(m[1]); err != nil {
			t.Errorf("docs/editors.md: RESILVET_FLAGS %q: %v", m[1], err)
		}
	}
	for _, m := range analyses {
		if !inSuite(m[1]) {
			t.Errorf("docs/editors.md: the analyses setting names %q, which is not one of resilvet's analyzers", m[1])
		}
	}
}
