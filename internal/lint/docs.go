package lint

import (
	"fmt"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"strings"
)

// Doc is an analyzer's documentation, parsed from its doc.go. It is written
// once there and read by Analyzer.Doc, `resilvet help`, SARIF help text,
// diagnostic URLs and pkg.go.dev alike.
//
// The package comment of doc.go has this form:
//
//	// Package fireforget defines an Analyzer that reports ...
//	//
//	// # Analyzer fireforget
//	//
//	// fireforget: report goroutines that nothing waits for
//	//
//	// Text that applies to every rule.
//	//
//	// # Rule untracked
//	//
//	// untracked: a go statement that nothing waits for
//	//
//	// Text of the rule, with WRONG and RIGHT code blocks.
type Doc struct {
	Name    string // analyzer name
	Summary string // "report goroutines that nothing waits for"
	Text    string // the summary line, then the rest, as plain text: Analyzer.Doc
	URL     string // the analyzer's documentation page
	Rules   []RuleDoc
}

// RuleDoc is the documentation of one rule.
type RuleDoc struct {
	Name    string
	Summary string // the text after "rule: " on the rule's first line
	Text    string // the rule's section as plain text, heading excluded
	URL     string // the rule's heading on the analyzer's documentation page
}

// Rule returns the documentation of the named rule, or nil.
func (d *Doc) Rule(name string) *RuleDoc {
	for i := range d.Rules {
		if d.Rules[i].Name == name {
			return &d.Rules[i]
		}
	}
	return nil
}

// DocURL is where an analyzer's documentation is published.
func DocURL(analyzer string) string {
	return "https://pkg.go.dev/" + ModulePath + "/analyzers/" + analyzer
}

// ParseDoc parses the source of an analyzer's doc.go.
func ParseDoc(src, name string) (*Doc, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: doc.go: %w", name, err)
	}
	if f.Doc == nil {
		return nil, fmt.Errorf("analyzer %s: doc.go has no package comment", name)
	}
	var p comment.Parser
	parsed := p.Parse(f.Doc.Text())

	doc := &Doc{Name: name, URL: DocURL(name)}
	var (
		section []comment.Block // blocks of the section being read
		inRule  *comment.Heading
		seen    bool // "# Analyzer NAME" found
		all     []comment.Block
	)
	flush := func() error {
		if inRule == nil {
			return nil
		}
		rname := strings.TrimPrefix(headingText(inRule), "Rule ")
		summary, err := summaryOf(section, rname)
		if err != nil {
			return fmt.Errorf("analyzer %s: rule %s: %w", name, rname, err)
		}
		doc.Rules = append(doc.Rules, RuleDoc{
			Name:    rname,
			Summary: summary,
			Text:    render(section),
			URL:     doc.URL + "#" + inRule.DefaultID(),
		})
		return nil
	}
	for _, b := range parsed.Content {
		if h, ok := b.(*comment.Heading); ok {
			text := headingText(h)
			switch {
			case text == "Analyzer "+name:
				seen = true
				continue // the summary line names the analyzer already
			case seen && strings.HasPrefix(text, "Rule "):
				if err := flush(); err != nil {
					return nil, err
				}
				inRule, section = h, nil
				all = append(all, b)
				continue
			case seen:
				return nil, fmt.Errorf("analyzer %s: doc.go: unexpected heading %q (want \"Rule NAME\")", name, text)
			}
		}
		if !seen {
			continue // the package synopsis, before "# Analyzer NAME"
		}
		if inRule != nil {
			section = append(section, b)
		}
		all = append(all, b)
	}
	if !seen {
		return nil, fmt.Errorf("analyzer %s: doc.go has no \"# Analyzer %s\" heading", name, name)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	summary, err := summaryOf(all, name)
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", name, err)
	}
	doc.Summary = summary
	doc.Text = strings.TrimPrefix(render(all), name+": ") // as go/analysis wants Analyzer.Doc
	return doc, nil
}

// check reports whether the documented rules are exactly the declared ones.
func (d *Doc) check(rules []*Rule) error {
	if len(rules) == 0 {
		return fmt.Errorf("no rules declared")
	}
	seen := make(map[string]bool)
	for _, r := range rules {
		if r == nil {
			return fmt.Errorf("a nil rule is declared")
		}
		if seen[r.Name] {
			return fmt.Errorf("rule %s is declared twice", r.Name)
		}
		seen[r.Name] = true
		if d.Rule(r.Name) == nil {
			return fmt.Errorf("rule %s has no \"# Rule %s\" heading in doc.go", r.Name, r.Name)
		}
		if r.Since == "" {
			return fmt.Errorf("rule %s: Since is empty", r.Name)
		}
	}
	for _, rd := range d.Rules {
		if !seen[rd.Name] {
			return fmt.Errorf("doc.go documents rule %s, which the analyzer does not declare", rd.Name)
		}
	}
	return nil
}

// summaryOf returns the text after "name: " in the first paragraph of blocks.
func summaryOf(blocks []comment.Block, name string) (string, error) {
	if len(blocks) > 0 {
		if p, ok := blocks[0].(*comment.Paragraph); ok {
			text := strings.Join(strings.Fields(textOf(p.Text)), " ")
			if s, ok := strings.CutPrefix(text, name+": "); ok {
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("the section must open with a paragraph \"%s: summary\"", name)
}

func headingText(h *comment.Heading) string { return textOf(h.Text) }

func textOf(texts []comment.Text) string {
	var b strings.Builder
	for _, t := range texts {
		switch t := t.(type) {
		case comment.Plain:
			b.WriteString(string(t))
		case comment.Italic:
			b.WriteString(string(t))
		case *comment.Link:
			b.WriteString(textOf(t.Text))
		case *comment.DocLink:
			b.WriteString(textOf(t.Text))
		}
	}
	return b.String()
}

func render(blocks []comment.Block) string {
	var p comment.Printer // wraps at 80 columns, as go doc does
	return strings.TrimSpace(string(p.Text(&comment.Doc{Content: blocks})))
}
