package main

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/resilvet/resilvet"
)

// unmeasured is the number of findings below which a rule's precision is
// not measured (DESIGN.md, Quality bar).
const unmeasured = 10

type report struct {
	results  []*targetResult
	seed     uint64
	size     int            // findings to judge per rule, by default
	perRule  map[string]int // the same for single rules (-samples)
	env      *runEnv
	byRule   map[string][]finding            // every finding, sorted by position
	byClass  map[string]map[string][]finding // class → rule → findings, sorted by position
	stdRule  map[string]int                  // findings in std, per rule
	progRule map[string]int                  // findings in bench/programs, per rule
	date     string
	commit   string
	sources  map[string][]string // file → lines, read on demand
}

func newReport(results []*targetResult, seed uint64, size sampling, env *runEnv) *report {
	r := &report{
		results: results, seed: seed, size: size.size, perRule: size.perRule, env: env,
		byRule:   make(map[string][]finding),
		byClass:  make(map[string]map[string][]finding),
		stdRule:  make(map[string]int),
		progRule: make(map[string]int),
		date:     time.Now().UTC().Format("2006-01-02"),
		commit:   gitCommit(),
		sources:  make(map[string][]string),
	}
	for _, c := range classes {
		r.byClass[c] = make(map[string][]finding)
	}
	for _, t := range results {
		for _, f := range t.findings {
			r.byRule[f.rule] = append(r.byRule[f.rule], f)
			r.byClass[t.class][f.rule] = append(r.byClass[t.class][f.rule], f)
			switch {
			case t.name == "std":
				r.stdRule[f.rule]++
			case t.corpus == "programs":
				r.progRule[f.rule]++
			}
		}
	}
	for _, fs := range r.byRule {
		slices.SortFunc(fs, r.compare)
	}
	for _, byRule := range r.byClass {
		for _, fs := range byRule {
			slices.SortFunc(fs, r.compare)
		}
	}
	return r
}

func (r *report) compare(a, b finding) int {
	return cmp.Or(strings.Compare(r.short(a.file), r.short(b.file)), cmp.Compare(a.line, b.line),
		cmp.Compare(a.col, b.col), strings.Compare(a.message, b.message))
}

// sizeOf returns how many findings of rule to judge (-sample, or -samples).
func (r *report) sizeOf(rule string) int {
	if n, ok := r.perRule[rule]; ok {
		return n
	}
	return r.size
}

// sample returns the findings of rule to judge: all if there are at most
// r.sizeOf(rule), else that many drawn without replacement by a PCG seeded
// with the seed and a hash of the rule's name (so each rule's sample
// depends only on its own findings), in position order.
func (r *report) sample(rule string) []finding {
	return r.draw(r.byRule[rule], rule, r.sizeOf(rule))
}

// classSizeOf returns how many findings of rule to judge in class:
// -samples can name "rule:class".
func (r *report) classSizeOf(class, rule string) int {
	if n, ok := r.perRule[rule+":"+class]; ok {
		return n
	}
	return r.sizeOf(rule)
}

// classSample is sample for the findings of one class. The class is hashed
// with the rule, so that the sample of one class depends only on that
// class's findings of the rule.
func (r *report) classSample(class, rule string) []finding {
	return r.draw(r.byClass[class][rule], rule+" "+class, r.classSizeOf(class, rule))
}

// draw returns all of fs if there are at most size, else size of them drawn
// by a PCG seeded with the seed and the hash of key, in position order.
func (r *report) draw(all []finding, key string, size int) []finding {
	if len(all) <= size {
		return all
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	rng := rand.New(rand.NewPCG(r.seed, h.Sum64()))
	picked := rng.Perm(len(all))[:size]
	slices.Sort(picked)
	out := make([]finding, len(picked))
	for i, k := range picked {
		out[i] = all[k]
	}
	return out
}

// rules returns every rule of the suite in table order, then any category
// found that the table does not know (there should be none).
func (r *report) rules() []resilvet.Rule {
	rules := slices.Clone(resilvet.Rules)
	for _, c := range sortedKeys(r.byRule) {
		a, n, _ := strings.Cut(c, "/")
		if !slices.ContainsFunc(rules, func(x resilvet.Rule) bool { return x.Analyzer == a && x.Name == n }) {
			rules = append(rules, resilvet.Rule{Analyzer: a, Name: n})
		}
	}
	return rules
}

// lines returns the handwritten lines of std, of bench/corpus and of
// bench/programs.
func (r *report) lines() (std, corpus, progs lineCount, stdPkgs, corpusPkgs, progPkgs, modules, progMods int) {
	for _, t := range r.results {
		switch {
		case t.name == "std":
			std.add(t.lines)
			stdPkgs += t.packages
		case t.corpus == "programs":
			progs.add(t.lines)
			progPkgs += t.packages
			progMods++
		default:
			corpus.add(t.lines)
			corpusPkgs += t.packages
			modules++
		}
	}
	return
}

// classLines returns the handwritten lines and packages of class, and the
// targets of that class.
func (r *report) classLines(class string) (lines lineCount, pkgs int, targets []*targetResult) {
	for _, t := range r.results {
		if t.class == class {
			lines.add(t.lines)
			pkgs += t.packages
			targets = append(targets, t)
		}
	}
	return
}

// summary is the "## Summary (all rules)" section of docs/precision.md.
func (r *report) summary() string {
	std, corpus, progs, stdPkgs, corpusPkgs, progPkgs, modules, progMods := r.lines()
	var b strings.Builder
	fmt.Fprintf(&b, "Generated %s by `go run ./bench/precision -doc` (resilvet %s): every analyzer of\n", r.date, r.commit)
	fmt.Fprintf(&b, "`resilvet.Suite` with every rule on (`-NAME.rules=+all`, so off-by-default rules are measured\n")
	fmt.Fprintf(&b, "too; `-runtimefixes`, so that \"with a fix\" counts the fixes `-fix` would offer)\n")
	fmt.Fprintf(&b, "over %s (%d packages, %s lines), %d modules pinned by bench/corpus (%d\n",
		r.stdTargetName(), stdPkgs, thousands(std.handwritten), modules, corpusPkgs)
	fmt.Fprintf(&b, "packages, %s lines) and %d programs pinned by bench/programs (%d packages, %s lines).\n",
		thousands(corpus.handwritten), progMods, progPkgs, thousands(progs.handwritten))
	fmt.Fprintf(&b, "Lines are those of the analysed packages' non-test, non-generated\n")
	fmt.Fprintf(&b, ".go files (%s lines with generated files). A rule with fewer than %d findings is\n", thousands(std.total+corpus.total+progs.total), unmeasured)
	fmt.Fprintf(&b, "unmeasured. Each analyzer's owner judges the listed findings — all of a rule's findings if\n")
	fmt.Fprintf(&b, "there are at most %d, else a sample of %d drawn with seed %d — in the analyzer's own section;\n", r.size, r.size, r.seed)
	fmt.Fprintf(&b, "`bench/precision` writes those lists, with empty verdict columns, to its `report.md`,\n")
	fmt.Fprintf(&b, "in all and per class (\"## Summary by class\").\n\n")
	b.WriteString("| rule | default | std | corpus | programs | total | per 100k lines | with a fix | to judge |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	perLines := float64(std.handwritten + corpus.handwritten + progs.handwritten)
	for _, rule := range r.rules() {
		c := rule.Analyzer + "/" + rule.Name
		all := r.byRule[c]
		fixed := 0
		for _, f := range all {
			fixed += min(f.fixes, 1)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %.2f | %d | %s |\n", c, onOff(rule), r.stdRule[c],
			len(all)-r.stdRule[c]-r.progRule[c], r.progRule[c],
			len(all), per100k(len(all), perLines), fixed, r.toJudge(c))
	}
	return b.String()
}

// classSummary is the "## Summary by class" section of docs/precision.md:
// per rule, the findings in programs and in libraries, measured apart
// (DESIGN.md: a default rule must reach 90% on each).
func (r *report) classSummary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Generated %s by `go run ./bench/precision -doc` (resilvet %s), the same run as the summary.\n", r.date, r.commit)
	lines := make(map[string]lineCount)
	for _, class := range classes {
		n, pkgs, targets := r.classLines(class)
		lines[class] = n
		var names []string
		for _, t := range targets {
			name := strings.TrimPrefix(t.name, "github.com/")
			if t.kind != "library" {
				name += " (" + t.kind + ")"
			}
			names = append(names, name)
		}
		fmt.Fprintf(&b, "%s: %d targets, %d packages, %s lines — %s.\n",
			strings.ToUpper(class[:1])+class[1:], len(targets), pkgs, thousands(n.handwritten), strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "\nA class's findings of a rule are judged apart: all if at most %d, else a sample of %d\n", r.size, r.size)
	if len(r.perRule) > 0 {
		fmt.Fprintf(&b, "(sizes of single rules, from -samples: %s)\n", r.sizesFlag())
	}
	fmt.Fprintf(&b, "(seed %d and a hash of the rule and the class); fewer than %d is unmeasured.\n\n", r.seed, unmeasured)
	b.WriteString("| rule | default | programs | per 100k lines | to judge | libraries | per 100k lines | to judge |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, rule := range r.rules() {
		c := rule.Analyzer + "/" + rule.Name
		fmt.Fprintf(&b, "| %s | %s |", c, onOff(rule))
		for _, class := range classes {
			n := len(r.byClass[class][c])
			fmt.Fprintf(&b, " %d | %.2f | %s |", n, per100k(n, float64(lines[class].handwritten)), toJudge(n, r.classSizeOf(class, c)))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// sizesFlag prints -samples as given, sorted.
func (r *report) sizesFlag() string {
	var kv []string
	for _, k := range sortedKeys(r.perRule) {
		kv = append(kv, fmt.Sprintf("%s=%d", k, r.perRule[k]))
	}
	return strings.Join(kv, ",")
}

func onOff(rule resilvet.Rule) string {
	if rule.Default {
		return "on"
	}
	return "off"
}

func per100k(n int, lines float64) float64 {
	return float64(n) * 100000 / max(lines, 1)
}

func (r *report) stdTargetName() string {
	for _, t := range r.results {
		if t.name == "std" {
			return "`" + strings.Join(t.patterns, " ") + "` of the standard library"
		}
	}
	return "no part of the standard library"
}

func (r *report) toJudge(rule string) string {
	return toJudge(len(r.byRule[rule]), r.sizeOf(rule))
}

// toJudge says which of n findings are judged when size are.
func toJudge(n, size int) string {
	switch {
	case n == 0:
		return "unmeasured (none)"
	case n < unmeasured:
		return fmt.Sprintf("unmeasured (all %d)", n)
	case n <= size:
		return fmt.Sprintf("all %d", n)
	default:
		return fmt.Sprintf("sample of %d", size)
	}
}

// markdown is the full report: the summaries, findings per target, and
// the lists to judge, in all and per class, with empty verdict columns.
func (r *report) markdown() string {
	var b strings.Builder
	b.WriteString("# Precision run\n\n## Summary (all rules)\n\n")
	b.WriteString(r.summary())
	b.WriteString("\n## Summary by class\n\n")
	b.WriteString(r.classSummary())
	b.WriteString("\n## Findings per target\n\n| target | class | packages | lines | findings | by rule |\n|---|---|---|---|---|---|\n")
	for _, t := range r.results {
		count := make(map[string]int)
		for _, f := range t.findings {
			count[f.rule]++
		}
		var parts []string
		for _, c := range sortedKeys(count) {
			parts = append(parts, fmt.Sprintf("%s %d", c, count[c]))
		}
		fmt.Fprintf(&b, "| %s %s | %s (%s) | %d | %s | %d | %s |\n", t.name, t.version, t.class, t.kind, t.packages,
			thousands(t.lines.handwritten), len(t.findings), strings.Join(parts, ", "))
	}
	for _, rule := range r.rules() {
		c := rule.Analyzer + "/" + rule.Name
		fmt.Fprintf(&b, "\n### %s\n\n%d findings; %s.\n", c, len(r.byRule[c]), r.toJudge(c))
		r.judgeTable(&b, r.sample(c))
		for _, class := range classes {
			n := len(r.byClass[class][c])
			fmt.Fprintf(&b, "\n#### %s: %s\n\n%d findings; %s.\n", c, class, n, toJudge(n, r.classSizeOf(class, c)))
			r.judgeTable(&b, r.classSample(class, c))
		}
	}
	return b.String()
}

// judgeTable writes the findings to judge with empty verdict columns.
func (r *report) judgeTable(b *strings.Builder, s []finding) {
	if len(s) == 0 {
		return // nothing to judge
	}
	b.WriteString("\n| # | position | source | message | verdict | why |\n|---|---|---|---|---|---|\n")
	for i, f := range s {
		fmt.Fprintf(b, "| %d | %s:%d | %s | %s | | |\n", i+1, r.short(f.file), f.line, code(r.source(f)), cell(f.message))
	}
}

// allFindings lists every finding, by rule.
func (r *report) allFindings() string {
	var b strings.Builder
	for _, c := range sortedKeys(r.byRule) {
		fmt.Fprintf(&b, "# %s: %d (%s %d, %s %d)\n", c, len(r.byRule[c]),
			classProgram, len(r.byClass[classProgram][c]), classLibrary, len(r.byClass[classLibrary][c]))
		for _, f := range r.byRule[c] {
			fmt.Fprintf(&b, "%s:%d:%d: %s\n\t%s\n", r.short(f.file), f.line, f.col, f.message, r.source(f))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// robustness is the "## Robustness" section of docs/precision.md.
func (r *report) robustness() string {
	var crashes, aerrs, lerrs, skipped, pkgs int
	for _, t := range r.results {
		if t.crash != "" {
			crashes++
		}
		aerrs += len(t.analyzerErrs)
		lerrs += len(t.loadErrs)
		skipped += len(t.skipped)
		pkgs += t.packages
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Generated %s by `go run ./bench/precision -doc` (resilvet %s), the same run as the summary:\n", r.date, r.commit)
	fmt.Fprintf(&b, "every analyzer with every rule on, over %d targets (%d packages). ", len(r.results), pkgs)
	fmt.Fprintf(&b, "Crashes (a panic that escaped, or output that is not JSON): %d. Analyzer errors (a recovered panic\n", crashes)
	fmt.Fprintf(&b, "or an error an analyzer returned, on one package): %d. Load errors (a package that does not\n", aerrs)
	fmt.Fprintf(&b, "load or type-check, so was not analysed): %d, and %d analyses skipped because of them\n", lerrs, skipped)
	fmt.Fprintf(&b, "(the checker's \"failed prerequisites\" and \"analysis skipped due to errors in package\", which the\n")
	fmt.Fprintf(&b, "JSON reports as analyzer errors of the packages that import a broken one).\n\n")
	b.WriteString("| target | packages | findings | exit | seconds | problems |\n|---|---|---|---|---|---|\n")
	for _, t := range r.results {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.0f | %s |\n", t.name, t.packages, len(t.findings), t.status, t.seconds,
			cmp.Or(strings.TrimSuffix(strings.TrimPrefix(t.problemSummary(), " ("), ")"), "none"))
	}
	for _, t := range r.results {
		if t.crash == "" && len(t.analyzerErrs) == 0 && len(t.loadErrs) == 0 && len(t.skipped) == 0 {
			continue // nothing to show
		}
		fmt.Fprintf(&b, "\n%s (reproduce: `go run ./bench/precision %s`, which runs `resilvet -json %s` on its packages in bench/%s):\n\n```\n",
			t.name, t.name, strings.Join(r.env.flags, " "), t.corpus)
		var lines []string
		if t.crash != "" {
			lines = append(lines, t.crash)
		}
		for _, e := range t.analyzerErrs {
			lines = append(lines, firstLines(e, 6))
		}
		lines = append(lines, t.loadErrs...)
		lines = append(lines, t.skipped...)
		if len(lines) > 20 {
			lines = append(lines[:20], fmt.Sprintf("… and %d more", len(lines)-20))
		}
		b.WriteString(strings.Join(lines, "\n") + "\n```\n")
	}
	return b.String()
}

// short names a file by module@version/path or GOROOT/src/path.
func (r *report) short(file string) string {
	if rest, ok := strings.CutPrefix(file, r.env.gomodcache+"/"); ok {
		return unescapeModPath(rest)
	}
	if rest, ok := strings.CutPrefix(file, r.env.goroot+"/"); ok {
		return "GOROOT/" + rest
	}
	return file
}

// unescapeModPath undoes the module cache's case encoding ("!b" is "B").
func unescapeModPath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '!' && i+1 < len(p) {
			i++
			b.WriteString(strings.ToUpper(p[i : i+1]))
			continue // the escaped letter is written
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// source returns the finding's line of source, trimmed.
func (r *report) source(f finding) string {
	lines, ok := r.sources[f.file]
	if !ok {
		data, err := os.ReadFile(f.file)
		if err == nil {
			lines = strings.Split(string(data), "\n")
		}
		r.sources[f.file] = lines
	}
	if f.line < 1 || f.line > len(lines) {
		return ""
	}
	s := strings.TrimSpace(lines[f.line-1])
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// code formats s as a code span inside a table cell.
func code(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "|", `\|`)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// cell escapes s for a table cell.
func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "(unknown commit)"
	}
	c := strings.TrimSpace(string(out))
	if exec.Command("git", "diff", "--quiet", "HEAD", "--", ".").Run() != nil {
		c += " + uncommitted changes"
	}
	return c
}
