package recall_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/bench/internal/mdsection"
	"github.com/resilvet/resilvet/internal/driver"
)

var writeDoc = flag.Bool("recall.doc", false, "write the recall table to docs/precision.md, section \"## Recall\"")

// A key is one finding: rule, file (relative to the module) and line.
type key struct {
	rule, file string
	line       int
}

func TestRecall(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/hazards")
	if err != nil {
		t.Fatal(err)
	}
	exp, err := readExpected(dir)
	if err != nil {
		t.Fatal(err)
	}

	// Every rule of the suite has a count and at least one hazard, and
	// each count is the number of findings listed for its rule.
	listed := make(map[string]int)
	shapes := make(map[string]int)
	for _, e := range exp.where {
		shapes[e.rule]++
		if !e.missed {
			listed[e.rule]++
		}
	}
	known := make(map[string]bool)
	for _, r := range resilvet.Rules {
		c := r.Analyzer + "/" + r.Name
		known[c] = true
		if shapes[c] == 0 {
			t.Errorf("rule %s has no hazard in testdata/hazards: add its post-mortem shape, and its line to expected.txt", c)
		}
	}
	for _, c := range sortedKeys(exp.counts) {
		if !known[c] {
			t.Errorf("expected.txt counts %s, which is not a rule of resilvet.Suite", c)
		}
	}
	for _, c := range sortedKeys(union(listed, exp.counts)) {
		if exp.counts[c] != listed[c] {
			t.Errorf("expected.txt: %s counts %d but lists %d findings", c, exp.counts[c], listed[c])
		}
	}

	// Each profile finds what expected.txt lists for it, line by line.
	var byProfile [2]profileRecall
	for i, strict := range []bool{false, true} {
		t.Run(profileName(strict), func(t *testing.T) {
			byProfile[i] = compare(t, exp, analyse(t, dir, strict), strict)
		})
	}

	missed := make(map[string][]string)
	for _, e := range exp.where {
		if e.missed {
			missed[e.rule] = append(missed[e.rule], fmt.Sprintf("%s:%d (%s)", e.file, e.line, e.fn))
		}
	}
	table := recallTable(byProfile, missed)
	t.Logf("recall on testdata/hazards:\n%s", table)
	if *writeDoc && !t.Failed() {
		if err := mdsection.ReplaceFile("../../docs/precision.md", "# Precision", "## Recall", table); err != nil {
			t.Fatal(err)
		}
	}
}

func profileName(strict bool) string {
	if strict {
		return "strict"
	}
	return "default"
}

// A profileRecall is what one profile found, per rule: hit of hazards.
type profileRecall struct{ hit, hazards map[string]int }

// compare reports every finding of the profile that expected.txt does not
// list for it, and every finding it lists that is missing: as many
// findings of a rule on a line as expected.txt lists.
func compare(t *testing.T, exp *expected, found map[key][]string, strict bool) profileRecall {
	r := profileRecall{hit: make(map[string]int), hazards: make(map[string]int)}
	want := make(map[key][]*expectation)
	for _, e := range exp.where {
		if e.missed || e.in(strict) {
			r.hazards[e.rule]++
		}
		k := key{e.rule, e.file, e.line}
		want[k] = append(want[k], e)
	}
	for _, k := range sortedFindings(found) {
		var reported, missed, other []*expectation
		for _, e := range want[k] {
			switch {
			case e.missed:
				missed = append(missed, e)
			case e.in(strict):
				reported = append(reported, e)
			default:
				other = append(other, e)
			}
		}
		n := min(len(found[k]), len(reported))
		r.hit[k.rule] += n
		for _, msg := range found[k][n:] {
			switch {
			case len(missed) > 0:
				t.Errorf("%s:%d: %s is found now (%s): drop \"missed\" from expected.txt:%d and count it", k.file, k.line, k.rule, msg, missed[0].src)
				missed = missed[1:]
			case len(other) > 0:
				t.Errorf("%s:%d: %s is found in the %s profile too (%s): drop %q from expected.txt:%d", k.file, k.line, k.rule, profileName(strict), msg, other[0].profile, other[0].src)
				other = other[1:]
			default:
				t.Errorf("unexpected finding %s:%d: %s (%s)", k.file, k.line, msg, k.rule)
			}
		}
	}
	for _, k := range sortedWant(want) {
		n := 0
		for _, e := range want[k] {
			if e.missed || !e.in(strict) {
				continue // not expected to be found in this profile
			}
			if n++; n > len(found[k]) {
				t.Errorf("missing finding %s at %s:%d (%s: %q; expected.txt:%d)", e.rule, e.file, e.line, e.fn, e.text, e.src)
			}
		}
	}
	return r
}

// analyse runs the standalone driver with every rule on, in the strict
// profile or not, over the module in dir and returns its findings'
// messages, by rule, file and line.
func analyse(t *testing.T, dir string, strict bool) map[key][]string {
	t.Chdir(dir)
	t.Setenv("GOWORK", "off")  // the module is not in the repository's workspace
	t.Setenv("GOPROXY", "off") // and needs nothing from the network
	args := []string{"-json"}
	if strict {
		args = append(args, "-strict")
	}
	for _, a := range resilvet.Suite {
		args = append(args, "-"+a.Name+".rules=+all")
	}
	var stdout, stderr bytes.Buffer
	status := driver.Run(resilvet.Suite, append(args, "./..."), &stdout, &stderr)
	if status > 1 || stderr.Len() > 0 {
		t.Fatalf("resilvet exited %d:\n%s%s", status, stderr.String(), stdout.String())
	}
	var tree map[string]map[string][]struct{ Category, Posn, Message string }
	if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil {
		t.Fatalf("resilvet -json: %v\n%s", err, stdout.String())
	}
	found := make(map[key][]string)
	for _, analyzers := range tree {
		for _, diags := range analyzers {
			for _, d := range diags {
				file, line := splitPosn(t, d.Posn)
				rel, err := filepath.Rel(dir, file)
				if err != nil {
					t.Fatal(err)
				}
				k := key{d.Category, filepath.ToSlash(rel), line}
				found[k] = append(found[k], d.Message)
			}
		}
	}
	return found
}

// splitPosn splits "file:line:col".
func splitPosn(t *testing.T, posn string) (string, int) {
	parts := strings.Split(posn, ":")
	if len(parts) < 3 {
		t.Fatalf("position %q is not file:line:col", posn)
	}
	var line int
	if _, err := fmt.Sscan(parts[len(parts)-2], &line); err != nil {
		t.Fatalf("position %q: %v", posn, err)
	}
	return strings.Join(parts[:len(parts)-2], ":"), line
}

// recallTable is the "## Recall" section: found/hazards per rule and
// profile.
func recallTable(p [2]profileRecall, missed map[string][]string) string {
	var b strings.Builder
	b.WriteString("Generated by `go test ./bench/recall -recall.doc`: every rule of every analyzer on\n")
	b.WriteString("(`-NAME.rules=+all`) over testdata/hazards, a small service built from the post-mortem's\n")
	b.WriteString("shapes, in the default profile and in the strict one (`-strict`, the post-mortem's\n")
	b.WriteString("policy); testdata/hazards/expected.txt lists each hazard by rule, file, function and line\n")
	b.WriteString("text, and which profile finds it. The test fails on any missing or unexpected finding, so\n")
	b.WriteString("these numbers hold at every commit where it passes. The module also holds fixed versions of\n")
	b.WriteString("the same code (marked \"silent\"), none of which is reported. The default profile leaves\n")
	b.WriteString("goroutines that end by themselves to the strict one, which reports them as untracked; where\n")
	b.WriteString("they have no recover, no-recover reports them in the default profile instead.\n\n")
	b.WriteString("| rule | default: found / hazards | strict: found / hazards | missed |\n|---|---|---|---|\n")
	var f, s [2]int
	for _, r := range resilvet.Rules {
		c := r.Analyzer + "/" + r.Name
		fmt.Fprintf(&b, "| %s | %d / %d | %d / %d | %s |\n", c, p[0].hit[c], p[0].hazards[c], p[1].hit[c], p[1].hazards[c], strings.Join(missed[c], ", "))
		for i := range p {
			f[i] += p[i].hit[c]
			s[i] += p[i].hazards[c]
		}
	}
	fmt.Fprintf(&b, "| all | %d / %d | %d / %d | |\n", f[0], s[0], f[1], s[1])
	return b.String()
}

func sortedFindings(m map[key][]string) []key { return sortedKeysBy(m) }

func sortedWant(m map[key][]*expectation) []key { return sortedKeysBy(m) }

func sortedKeysBy[V any](m map[key]V) []key {
	keys := make([]key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(strings.Compare(a.file, b.file), cmp.Compare(a.line, b.line), strings.Compare(a.rule, b.rule))
	})
	return keys
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func union(a, b map[string]int) map[string]int {
	u := make(map[string]int)
	for k := range a {
		u[k] = 0
	}
	for k := range b {
		u[k] = 0
	}
	return u
}
