package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// reportInfo is what the report says about how it was made.
type reportInfo struct {
	invocation, commit, goVersion, platform, goLine string
	flags                                           []string
	originals, survey                               bool
	work                                            string
	known                                           *regexp.Regexp // programs whose failures are known limits
}

// counts are the table's rows.
type counts struct {
	programs, withOut, emptyOut                 int
	origRun, origBuild, origMatch, origMismatch int
	raceBuild, raceReport                       int
	withFindings, withFixes, offered, applied   int
	checked, skipped                            int
	failed                                      map[string]int // check → programs
	failures, failing                           int
	perRule                                     map[string]*ruleCount
	excluded, otherSkips                        int
	timedOut                                    int
}

type ruleCount struct{ programs, offered, failures int }

var checks = []string{"fix", "build", "vet", "output", "race", "idempotence"}

func count(progs []*program, skips []skip, results []*result) counts {
	c := counts{failed: make(map[string]int), perRule: make(map[string]*ruleCount)}
	c.programs = len(progs)
	for _, p := range progs {
		if p.Expected != nil {
			c.withOut++
		} else {
			c.emptyOut++
		}
	}
	for _, s := range skips {
		if strings.HasPrefix(s.why, "excluded on ") {
			c.excluded++
		} else {
			c.otherSkips++
		}
	}
	for _, r := range results {
		if o := r.Orig; o != nil {
			c.origRun++
			if o.Build.ok() {
				c.origBuild++
				switch {
				case o.Matches:
					c.origMatch++
				case o.Run.TimedOut:
					c.timedOut++
				default:
					c.origMismatch++
				}
			}
			if o.RaceBuild != nil && o.RaceBuild.ok() {
				c.raceBuild++
			}
			if o.RaceReport {
				c.raceReport++
			}
		}
		if r.Findings > 0 {
			c.withFindings++
		}
		if len(r.Offers) > 0 {
			c.withFixes++
			c.offered += len(r.Offers)
			c.applied += r.Applied
			if r.Skipped != "" {
				c.skipped++
			} else {
				c.checked++
			}
		}
		seenRule := make(map[string]bool)
		for _, o := range r.Offers {
			rc := c.perRule[o.Category]
			if rc == nil {
				rc = &ruleCount{}
				c.perRule[o.Category] = rc
			}
			rc.offered++
			if !seenRule[o.Category] {
				seenRule[o.Category] = true
				rc.programs++
			}
		}
		if len(r.Failures) > 0 {
			c.failing++
		}
		seenCheck := make(map[string]bool)
		for _, f := range r.Failures {
			c.failures++
			if !seenCheck[f.Check] {
				seenCheck[f.Check] = true
				c.failed[f.Check]++
			}
			for _, rule := range f.Rules {
				if rc := c.perRule[rule]; rc != nil {
					rc.failures++
				}
			}
		}
	}
	return c
}

// render returns the report: how it was made, the counts, the counts per
// rule and every failure.
func render(progs []*program, skips []skip, results []*result, info reportInfo) string {
	c := count(progs, skips, results)
	var b strings.Builder
	fmt.Fprintf(&b, "Generated %s by `%s` (resilvet %s, %s, %s), with `%s`.\n",
		time.Now().UTC().Format("2006-01-02"), info.invocation, info.commit, info.goVersion, info.platform, strings.Join(info.flags, " "))
	fmt.Fprintf(&b, "The programs are the files of $GOROOT/test (cmd/internal/testdir's directories) whose recipe is `// run`,\n")
	fmt.Fprintf(&b, "not excluded on %s by their build constraints, with their recipe's flags, environment and arguments;\n", info.platform)
	fmt.Fprintf(&b, "each is copied into a scratch module (`go %s`, the toolchain's language version, which the test runner\n", info.goLine)
	fmt.Fprintf(&b, "compiles them at) that requires and replaces the local runtime module. A fixed program must build, add no\n")
	fmt.Fprintf(&b, "`go vet` diagnostic (positions ignored), print its `.out` file (or nothing, without one; or the original's\n")
	fmt.Fprintf(&b, "output where the original does not print that) with the same exit status, run without a race report\n")
	fmt.Fprintf(&b, "under `-race` where the original did, and be left unchanged by a second `resilvet -fix`.\n")
	if info.survey {
		fmt.Fprintf(&b, "One `resilvet -json` run over the programs built without recipe flags (the survey) picks those that\n")
		fmt.Fprintf(&b, "offer a fix; the others (recipe flags, environment or go line of their own, or not judged by the survey)\n")
		fmt.Fprintf(&b, "are linted on their own.")
	}
	if !info.originals {
		fmt.Fprintf(&b, " Originals are run only for the programs linted on their own or offering a fix (`-originals=false`).")
	}
	b.WriteString("\n\n")

	row := func(what string, n any) { fmt.Fprintf(&b, "| %s | %v |\n", what, n) }
	b.WriteString("| | programs |\n|---|---|\n")
	row("`// run` programs", fmt.Sprintf("%d (%d with a .out file, %d that must print nothing)", c.programs, c.withOut, c.emptyOut))
	row("`// run` files left out", fmt.Sprintf("%d (%d excluded by build constraints, %d other)", c.excluded+c.otherSkips, c.excluded, c.otherSkips))
	if c.origRun > 0 {
		row("originals run", c.origRun)
		row("… that build", c.origBuild)
		row("… that print the expected output", c.origMatch)
		row("… that print something else or exit non-zero", c.origMismatch)
		row("… that time out", c.timedOut)
		row("… that build with -race (run only where fixes are checked)", c.raceBuild)
		row("… with a race report", c.raceReport)
	}
	row("with findings", c.withFindings)
	row("with fixes offered", c.withFixes)
	row("fixes offered / applied", fmt.Sprintf("%d / %d", c.offered, c.applied))
	row("checked (skipped: the original does not build)", fmt.Sprintf("%d (%d)", c.checked, c.skipped))
	for _, ch := range checks {
		n := c.failed[ch]
		cell := "0"
		if n > 0 {
			cell = fmt.Sprintf("**%d**", n)
		}
		row(checkTitle[ch], cell)
	}
	row("programs with a failure", fmt.Sprintf("%d", c.failing))

	if len(c.perRule) > 0 {
		b.WriteString("\n| rule | programs | fixes offered | failures caused alone |\n|---|---|---|---|\n")
		for _, rule := range slices.Sorted(maps.Keys(c.perRule)) {
			rc := c.perRule[rule]
			fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", rule, rc.programs, rc.offered, rc.failures)
		}
	}

	var failing []*result
	for _, r := range results {
		if len(r.Failures) > 0 {
			failing = append(failing, r)
		}
	}
	if len(failing) > 0 {
		b.WriteString("\nFailures (each fix's diff is in the run's scratch tree, `<program>/fix.diff`):\n")
		for _, r := range failing {
			fmt.Fprintf(&b, "\n- `%s`", r.Name)
			if info.known != nil && info.known.MatchString(r.Name) {
				b.WriteString(" (a known limit, see below)")
			}
			fmt.Fprintf(&b, ": fixes %s", offerList(r.Offers))
			if len(r.Later) > 0 {
				fmt.Fprintf(&b, "; the later rounds of -fix also applied fixes of %s", strings.Join(r.Later, ", "))
			}
			b.WriteString("\n")
			for _, f := range r.Failures {
				blame := "only the fixes combined"
				switch {
				case len(f.Rules) > 0:
					blame = strings.Join(f.Rules, ", ") + " alone"
				case len(r.rules()) == 0:
					blame = "no fix"
				}
				fmt.Fprintf(&b, "  - %s (%s):\n\n", checkTitle[f.Check], blame)
				b.WriteString("    ```\n")
				for _, l := range strings.Split(strings.TrimRight(f.Detail, "\n"), "\n") {
					b.WriteString("    " + l + "\n")
				}
				b.WriteString("    ```\n")
			}
		}
	}
	var mismatched []string
	for _, r := range results {
		if o := r.Orig; o != nil && len(r.Offers) > 0 && o.Build.ok() && !o.Matches {
			mismatched = append(mismatched, "`"+r.Name+"`")
		}
	}
	if len(mismatched) > 0 {
		fmt.Fprintf(&b, "\nPrograms with fixes whose original does not print the expected output (compared with the original's output instead): %s.\n", strings.Join(mismatched, ", "))
	}
	return b.String()
}

var checkTitle = map[string]string{
	"fix":         "resilvet -fix or -json failed (exit status 2)",
	"build":       "does not build after -fix",
	"vet":         "go vet reports more after -fix",
	"output":      "prints something else after -fix",
	"race":        "race report after -fix (race-clean before)",
	"idempotence": "a second -fix changes it",
}

// offerList names the offers briefly: rule and line.
func offerList(offers []offer) string {
	var parts []string
	for _, o := range offers {
		parts = append(parts, fmt.Sprintf("%s line %d (%q)", o.Category, o.Line, o.Fix))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "; ")
}
