package recall_test

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/resilvet/resilvet/internal/nav"
)

// An expectation is one finding listed in expected.txt.
type expectation struct {
	rule, file, fn, text string
	missed               bool   // a hazard resilvet does not find yet
	profile              string // "strict" or "default": found in that profile only; "": in both
	line                 int    // resolved from fn and text
	src                  int    // line of expected.txt
}

// in reports whether e is expected to be found in the profile (strict or
// not).
func (e *expectation) in(strict bool) bool {
	switch e.profile {
	case "strict":
		return strict
	case "default":
		return !strict
	}
	return true
}

// expected is expected.txt, parsed.
type expected struct {
	counts map[string]int // rule → findings reported
	where  []*expectation
}

// readExpected parses dir/expected.txt and resolves each expectation to
// the one line of its function that holds its text.
func readExpected(dir string) (*expected, error) {
	f, err := os.Open(filepath.Join(dir, "expected.txt"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	exp := &expected{counts: make(map[string]int)}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue // blank or comment
		}
		head, text, hasText := strings.Cut(line, ": ")
		fields := strings.Fields(head)
		switch {
		case !hasText && len(fields) == 2:
			c, err := strconv.Atoi(fields[1])
			if err != nil {
				return nil, fmt.Errorf("expected.txt:%d: count %q: %w", n, fields[1], err)
			}
			if _, dup := exp.counts[fields[0]]; dup {
				return nil, fmt.Errorf("expected.txt:%d: second count for %s", n, fields[0])
			}
			exp.counts[fields[0]] = c
		case hasText && len(fields) >= 3:
			e := &expectation{text: text, src: n}
			for _, m := range fields[:len(fields)-3] {
				switch {
				case m == "missed" && !e.missed:
					e.missed = true
				case (m == "strict" || m == "default") && e.profile == "":
					e.profile = m
				default:
					return nil, fmt.Errorf("expected.txt:%d: unknown or repeated marker %q (want missed, strict or default)", n, m)
				}
			}
			if e.missed && e.profile != "" {
				return nil, fmt.Errorf("expected.txt:%d: a missed hazard is missed in both profiles", n)
			}
			fields = fields[len(fields)-3:]
			e.rule, e.file, e.fn = fields[0], fields[1], fields[2]
			if e.line, err = resolve(dir, e); err != nil {
				return nil, fmt.Errorf("expected.txt:%d: %w", n, err)
			}
			exp.where = append(exp.where, e)
		default:
			return nil, fmt.Errorf("expected.txt:%d: want \"RULE COUNT\" or \"[missed|strict|default] RULE FILE FUNC: TEXT\", got %q", n, line)
		}
	}
	return exp, sc.Err()
}

// resolve returns the one line of e.fn in e.file that contains e.text.
func resolve(dir string, e *expectation) (int, error) {
	fset := token.NewFileSet()
	name := filepath.Join(dir, filepath.FromSlash(e.file))
	f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return 0, err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	tf := fset.File(f.FileStart)
	var found []int
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, e.text) && declName(f, tf.LineStart(i+1)) == e.fn {
			found = append(found, i+1)
		}
	}
	if len(found) != 1 {
		return 0, fmt.Errorf("%s: %q is on %d lines of %s (lines %v), want exactly one", e.file, e.text, len(found), e.fn, found)
	}
	return found[0], nil
}

// declName is nav.DeclName with the driver's naming of code outside any
// function, "-".
func declName(f *ast.File, pos token.Pos) string {
	if name := nav.DeclName(f, pos); name != "" {
		return name
	}
	return "-"
}
