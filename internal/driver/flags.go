package driver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

// errFlagPrinted is a flag error the flag package has printed already.
var errFlagPrinted = errors.New("flag error")

// options are the standalone driver's flags.
type options struct {
	json, sarif   bool
	fix, diff     bool
	baseline      string
	writeBaseline string
	tags          string
	runtimeFixes  bool
	context       int

	// analyzers are this run's copies of the suite, selected by -NAME flags
	// and configured by -NAME.* flags.
	analyzers []*analysis.Analyzer
	all       []*analysis.Analyzer // every analyzer of the suite, selected or not
	uses      []*lint.Uses         // the directives each of analyzers used
}

// used reports whether some analyzer used the directive d.
func (o *options) used(d lint.Used) bool {
	for _, u := range o.uses {
		if u.Used(d) {
			return true
		}
	}
	return false
}

// parseFlags parses args into options and the remaining arguments. The
// analyzers are cloned so that one process can run the driver many times.
func parseFlags(suite []*analysis.Analyzer, args []string, stderr io.Writer) (*options, []string, error) {
	o := &options{}
	fs := flag.NewFlagSet("resilvet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }

	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range suite {
		a = lint.Clone(a)
		o.all = append(o.all, a)
		ts := new(triState)
		enabled[a] = ts
		fs.Var(ts, a.Name, fmt.Sprintf("enable %s (with -NAME=true, run only the analyzers named)", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.BoolVar(&o.json, "json", false, "print findings as JSON, in go vet -json's shape")
	fs.BoolVar(&o.sarif, "sarif", false, "print findings as SARIF 2.1.0")
	fs.BoolVar(&o.fix, "fix", false, "apply the suggested fixes, re-analyse and repeat (at most 3 rounds)")
	fs.BoolVar(&o.diff, "diff", false, "with -fix, print the changes as a unified diff instead of writing them")
	fs.StringVar(&o.baseline, "baseline", "", "report only findings that are not in this baseline `file`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "write all current findings to this baseline `file`")
	fs.StringVar(&o.tags, "tags", "", "comma-separated build tags, as for go build")
	fs.BoolVar(&o.runtimeFixes, "runtimefixes", false,
		"offer fixes that import "+match.RuntimePath+" even where a package does not depend on it yet (set by -fix, which also adds the requirement to go.mod)")
	fs.IntVar(&o.context, "c", -1, "display the offending line with this many lines of context")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, errFlagPrinted
	}
	if o.diff && !o.fix {
		return nil, nil, fmt.Errorf("-diff works with -fix: resilvet -fix -diff [packages]")
	}
	if o.json && o.sarif {
		return nil, nil, fmt.Errorf("-json and -sarif are exclusive")
	}
	if o.fix && o.writeBaseline != "" {
		return nil, nil, fmt.Errorf("-write-baseline records findings; it does not combine with -fix")
	}

	// As in go vet: if any -NAME is true, run only those; otherwise, if any
	// -NAME is false, run all but those.
	var hasTrue bool
	for _, ts := range enabled {
		hasTrue = hasTrue || *ts == setTrue
	}
	for _, a := range o.all {
		switch ts := *enabled[a]; {
		case hasTrue && ts == setTrue, !hasTrue && ts != setFalse:
			o.analyzers = append(o.analyzers, a)
			o.uses = append(o.uses, lint.RecordUses(a))
		}
	}
	if o.fix || o.runtimeFixes {
		for _, a := range o.analyzers {
			if f := a.Flags.Lookup("runtimefixes"); f != nil {
				if err := f.Value.Set("true"); err != nil {
					return nil, nil, err // cannot happen: a bool flag
				}
			}
		}
	}
	return o, fs.Args(), nil
}

// A triState is a boolean flag that knows whether it was set.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }
func (ts *triState) Get() any         { return *ts == setTrue }
func (ts *triState) String() string {
	if ts != nil && *ts == setFalse {
		return "false"
	}
	return "true"
}
func (ts *triState) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	*ts = setFalse
	if b {
		*ts = setTrue
	}
	return nil
}
