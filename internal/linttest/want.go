package linttest

import (
	"cmp"
	"fmt"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/scanner"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/resilvet/resilvet/internal/lint"
)

// This file checks // want comments with analysistest's rules, which the
// harness keeps so that every analyzer's testdata reads as analysistest's
// documentation says; see docs/decisions.md, "One load per test binary".

// An expectation is one pattern of a // want comment.
type expectation struct {
	kind string // "diagnostic" or "fact"
	name string // for a fact: the object's name, or "package"
	rx   *regexp.Regexp
}

// A line is a file and line, the key of expectations.
type line struct {
	file string
	line int
}

// factsAction returns the action that holds act's facts: that of its
// analyzer's fact pass on the same package, if it has one.
func factsAction(act *checker.Action) *checker.Action {
	if fa := lint.FactsOf(act.Analyzer); fa != nil {
		for _, dep := range act.Deps {
			if dep.Analyzer == fa && dep.Package == act.Package {
				return dep
			}
		}
	}
	return act
}

// checkWants checks act's diagnostics and facts against the // want
// comments of its package.
func checkWants(t errorer, tr *tree, act *checker.Action) {
	t.Helper()
	want := make(map[line][]expectation)
	comment := func(filename string, linenum int, text string) {
		t.Helper()
		rest, ok := strings.CutPrefix(strings.TrimSpace(text), "want")
		if !ok {
			return // not an expectation
		}
		delta, expects, err := parseWant(rest)
		if err != nil {
			t.Errorf("%s:%d: in 'want' comment: %s", filename, linenum, err)
			return
		}
		if expects != nil {
			want[line{filename, linenum + delta}] = expects
		}
	}

	pkg := act.Package
	for _, f := range pkg.Syntax {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text := strings.TrimPrefix(c.Text, "//")
				if text == c.Text { // a /* comment */
					text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
				}
				// "//...// want ..." is an expectation starting at want, so
				// that comments can be tested too.
				if i := strings.Index(text, "// want"); i >= 0 {
					text = text[i+len("// "):]
				}
				// The position of each comment, not of its file: //line
				// directives move it.
				posn := pkg.Fset.Position(c.Pos())
				comment(tr.sanitize(posn.Filename), posn.Line, text)
			}
		}
	}
	for _, filename := range pkg.OtherFiles {
		data, err := os.ReadFile(filename)
		if err != nil {
			t.Errorf("can't read '// want' comments from %s: %v", filename, err)
			continue
		}
		name := tr.sanitize(filename)
		for i, text := range strings.Split(string(data), "\n") {
			if j := strings.Index(text, "// want"); j >= 0 {
				text = text[j:]
			}
			if j := strings.Index(text, "//"); j >= 0 {
				comment(name, i+1, text[j+len("//"):])
			}
		}
	}

	check := func(posn token.Position, kind, name, message string) {
		t.Helper()
		k := line{tr.sanitize(posn.Filename), posn.Line}
		posn.Filename = k.file
		var unmatched []string
		for i, exp := range want[k] {
			if exp.kind != kind || exp.name != name {
				continue
			}
			if exp.rx.MatchString(message) {
				want[k] = slices.Delete(want[k], i, i+1)
				return
			}
			unmatched = append(unmatched, fmt.Sprintf("%#q", exp.rx))
		}
		if unmatched == nil {
			t.Errorf("%v: unexpected %s: %v", posn, kind, message)
		} else {
			t.Errorf("%v: %s %q does not match pattern %s", posn, kind, message, strings.Join(unmatched, " or "))
		}
	}

	for _, d := range act.Diagnostics {
		check(pkg.Fset.Position(d.Pos), "diagnostic", "", d.Message)
	}
	// Facts of this package only: a package fact on line 1 of its first
	// file, an object fact on its object's line, in source order. An
	// analyzer with a fact pass (lint.FactPass) has its facts there.
	facter := factsAction(act)
	for _, f := range facter.AllPackageFacts() {
		if f.Package == pkg.Types {
			posn := pkg.Fset.Position(pkg.Syntax[0].Pos())
			posn.Line, posn.Column = 1, 1
			check(posn, "fact", "package", fmt.Sprint(f))
		}
	}
	facts := facter.AllObjectFacts()
	slices.SortStableFunc(facts, func(a, b analysis.ObjectFact) int { return cmp.Compare(a.Object.Pos(), b.Object.Pos()) })
	for _, f := range facts {
		if obj := f.Object; obj.Pkg() == pkg.Types {
			check(pkg.Fset.Position(obj.Pos()), "fact", obj.Name(), fmt.Sprint(f.Fact))
		}
	}

	var surplus []string
	for k, expects := range want {
		for _, exp := range expects {
			surplus = append(surplus, fmt.Sprintf("%s:%d: no %s was reported matching %#q", k.file, k.line, exp.kind, exp.rx))
		}
	}
	slices.Sort(surplus)
	for _, s := range surplus {
		t.Errorf("%s", s)
	}
}

// parseWant parses what follows "want" in a comment: an optional +N line
// offset, then patterns, "rx" for a diagnostic and name:"rx" for a fact.
func parseWant(text string) (delta int, expects []expectation, err error) {
	var scanErr string
	sc := new(scanner.Scanner).Init(strings.NewReader(text))
	sc.Error = func(_ *scanner.Scanner, msg string) { scanErr = msg }
	sc.Mode = scanner.ScanIdents | scanner.ScanStrings | scanner.ScanRawStrings | scanner.ScanInts
	pattern := func(tok rune) (*regexp.Regexp, error) {
		if tok != scanner.String && tok != scanner.RawString {
			return nil, fmt.Errorf("got %s, want regular expression", scanner.TokenString(tok))
		}
		s, _ := strconv.Unquote(sc.TokenText()) // cannot fail: the scanner read a string
		return regexp.Compile(s)
	}
	for {
		switch tok := sc.Scan(); tok {
		case '+':
			if tok = sc.Scan(); tok != scanner.Int {
				return 0, nil, fmt.Errorf("got +%s, want +Int", scanner.TokenString(tok))
			}
			delta, _ = strconv.Atoi(sc.TokenText())
		case scanner.String, scanner.RawString:
			rx, err := pattern(tok)
			if err != nil {
				return 0, nil, err
			}
			expects = append(expects, expectation{"diagnostic", "", rx})
		case scanner.Ident:
			name := sc.TokenText()
			if tok = sc.Scan(); tok != ':' {
				return 0, nil, fmt.Errorf("got %s after %s, want ':'", scanner.TokenString(tok), name)
			}
			rx, err := pattern(sc.Scan())
			if err != nil {
				return 0, nil, err
			}
			expects = append(expects, expectation{"fact", name, rx})
		case scanner.EOF:
			if scanErr != "" {
				return 0, nil, fmt.Errorf("%s", scanErr)
			}
			return delta, expects, nil
		default:
			return 0, nil, fmt.Errorf("unexpected %s", scanner.TokenString(tok))
		}
	}
}
