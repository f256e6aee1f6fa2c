package driver

import (
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

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
	runtimeDir    string // -runtime, or $RESILVET_RUNTIME
	runtimeFrom   string // "-runtime" or "$RESILVET_RUNTIME": what named runtimeDir, for messages
	strict        bool
	context       int
	version       bool
	cache         string // -cache: a directory, "off", or "" for the default

	// noRuntimeFixes is -runtimefixes=false, given explicitly: -fix then
	// leaves the runtime fixes off.
	noRuntimeFixes bool
	// autoRuntime are the analyzers whose -NAME.runtimefixes -fix switched
	// on (the user set none of them), so that -fix can switch them off
	// again when the runtime requirement cannot be met.
	autoRuntime []*analysis.Analyzer
	progress    *progress // nil unless stderr is a terminal
	// overlay is the content -fix's rounds give files, which the
	// analyzers' Pass.ReadFile must return too (see readThroughOverlay).
	overlay map[string][]byte

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

// newFlags returns the driver's flag set, which is the only declaration of
// its flags: help prints it and the README's list is checked against it.
// It declares, for each analyzer of suite, a clone's -NAME switch and its
// -NAME.* flags, and sets o's fields as the flags are parsed.
func newFlags(suite []*analysis.Analyzer, o *options, stderr io.Writer) (*flag.FlagSet, map[*analysis.Analyzer]*triState) {
	fs := flag.NewFlagSet("resilvet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }

	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range suite {
		a = lint.Clone(a)
		o.all = append(o.all, a)
		ts := new(triState)
		enabled[a] = ts
		fs.Var(ts, a.Name, "run analyzer NAME: -NAME=false skips it; -NAME=true runs only the analyzers so named")
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.BoolVar(&o.json, "json", false, "print findings as JSON, in go vet -json's shape")
	fs.BoolVar(&o.sarif, "sarif", false, "print findings as SARIF 2.1.0")
	fs.BoolVar(&o.fix, "fix", false, fmt.Sprintf("apply the suggested fixes, re-analyse and repeat (at most %d rounds), then write the files", maxFixRounds))
	fs.BoolVar(&o.diff, "diff", false, "with -fix, print the changes as a unified diff instead of writing them")
	fs.StringVar(&o.baseline, "baseline", "", "report only findings that are not in this baseline `file`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "write all current findings to this baseline `file`")
	fs.StringVar(&o.tags, "tags", "", "comma-separated build `tags`, as for go build")
	fs.BoolVar(&o.runtimeFixes, "runtimefixes", false,
		"offer fixes that import "+match.RuntimePath+" even where a package does not depend on it yet (on with -fix, which also adds the requirement to go.mod; -fix -runtimefixes=false applies the standard-library fixes only)")
	fs.StringVar(&o.runtimeDir, "runtime", os.Getenv("RESILVET_RUNTIME"),
		"with -fix, require the runtime module from this `directory` (a clone's runtime/) through a replace directive; default $RESILVET_RUNTIME, else, for a development build, the clone it was built from")
	fs.BoolVar(&o.version, "version", false, "print resilvet's version and the Go release it was built with")
	fs.BoolVar(&o.strict, "strict", false, "the strict profile of every analyzer (-NAME.strict): also the rules and shapes marked strict in resilvet help")
	fs.StringVar(&o.cache, "cache", "", "keep the results of unchanged packages in this `directory`, or \"off\"; default $RESILVET_CACHE, else resilvet in the user cache directory")
	fs.IntVar(&o.context, "c", -1, "display the offending line with this many `lines` of context")
	return fs, enabled
}

// parseFlags parses args into options and the remaining arguments. The
// analyzers are cloned so that one process can run the driver many times.
func parseFlags(suite []*analysis.Analyzer, args []string, stderr io.Writer) (*options, []string, error) {
	o := &options{}
	fs, enabled := newFlags(suite, o, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, errFlagPrinted
	}
	if err := swallowed(fs); err != nil {
		return nil, nil, err
	}
	explicit := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	o.noRuntimeFixes = explicit["runtimefixes"] && !o.runtimeFixes
	o.runtimeFrom = "-runtime"
	if !explicit["runtime"] {
		o.runtimeFrom = "$RESILVET_RUNTIME"
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
	if o.strict {
		for _, a := range o.analyzers {
			if err := a.Flags.Set("strict", "true"); err != nil {
				panic(err) // lint.New declares -strict on every analyzer
			}
		}
	}
	if (o.fix || o.runtimeFixes) && !o.noRuntimeFixes {
		for _, a := range o.analyzers {
			if f := a.Flags.Lookup("runtimefixes"); f != nil && !explicit[a.Name+".runtimefixes"] {
				setRuntimeFixes(a, true)
				o.autoRuntime = append(o.autoRuntime, a)
			}
		}
	}
	o.progress = newProgress(stderr)
	for _, a := range o.analyzers {
		o.progress.count(a)
		o.readThroughOverlay(a)
		if fa := lint.FactsOf(a); fa != nil {
			// The fact pass is a's own (lint.Clone made it) and is all
			// that runs on a dependency.
			o.progress.count(fa)
			o.readThroughOverlay(fa)
		}
	}
	return o, fs.Args(), nil
}

// readThroughOverlay wraps a's Run so that Pass.ReadFile returns a file's
// content from o.overlay, as the syntax the pass sees was parsed from it:
// checker.Analyze reads the disk (its Options cannot name an overlay), and
// a fix built from the disk's text would edit the wrong bytes.
func (o *options) readThroughOverlay(a *analysis.Analyzer) {
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		if len(o.overlay) == 0 || pass.ReadFile == nil {
			return run(pass)
		}
		p := *pass // the driver's Pass stays as it made it
		read := pass.ReadFile
		p.ReadFile = func(name string) ([]byte, error) {
			if content, ok := o.overlay[name]; ok && slices.ContainsFunc(pass.Files, func(f *ast.File) bool {
				return pass.Fset.File(f.FileStart).Name() == name
			}) {
				return content, nil
			}
			return read(name)
		}
		return run(&p)
	}
}

func setRuntimeFixes(a *analysis.Analyzer, on bool) {
	if err := a.Flags.Set("runtimefixes", strconv.FormatBool(on)); err != nil {
		panic(err) // lint.New declares a boolean -runtimefixes
	}
}

// swallowed reports a flag whose value is most likely the argument after
// it: `resilvet -baseline ./pkg` reads ./pkg as the baseline and analyses
// ".", which is not what was meant.
func swallowed(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "baseline", "write-baseline", "tags", "runtime":
		default:
			return // a boolean, a number, or an analyzer's flag ("-NAME.rules -r" is fine)
		}
		if err != nil {
			return // one is enough
		}
		v := f.Value.String()
		what := ""
		switch {
		case strings.HasPrefix(v, "-"):
			what = "a flag"
		case strings.Contains(v, "..."):
			what = "a package pattern"
		case f.Name != "tags" && f.Name != "runtime":
			if fi, statErr := os.Stat(v); statErr == nil && fi.IsDir() {
				what = "a directory"
			}
		case f.Name == "tags" && (strings.ContainsAny(v, "/\\") || strings.HasPrefix(v, ".")):
			what = "a path"
		}
		if what != "" {
			arg, _ := flag.UnquoteUsage(f)
			err = fmt.Errorf("-%s took %q, %s, as its %s: write -%s %s, then the packages", f.Name, v, what, arg, f.Name, strings.ToUpper(arg))
		}
	})
	return err
}

// A FlagDoc documents one flag of the command: an analyzer's flags appear
// once, as -NAME.<flag>, unless only some analyzers have them.
type FlagDoc struct {
	Name  string // "json", "NAME.rules", "rawbreaker.canonical"
	Arg   string // the value's name, "" for a boolean flag
	Usage string
}

// FlagDocs documents the flags of the command running suite, from its flag
// set: those of the driver, then the analyzers' -NAME switch and the -NAME.x
// flags that several analyzers share, then those of single analyzers.
func FlagDocs(suite []*analysis.Analyzer) []FlagDoc {
	o := &options{}
	fs, _ := newFlags(suite, o, io.Discard)
	owner := make(map[string]string) // flag name → analyzer, for -NAME and -NAME.x
	sharing := make(map[string][]string)
	for _, a := range o.all {
		owner[a.Name] = a.Name
		a.Flags.VisitAll(func(f *flag.Flag) {
			owner[a.Name+"."+f.Name] = a.Name
			sharing[f.Name] = append(sharing[f.Name], a.Name)
		})
	}
	var driverFlags, shared, own []FlagDoc
	seen := make(map[string]bool)
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			arg = ""
		}
		a, ok := owner[f.Name]
		suffix := strings.TrimPrefix(f.Name, a+".")
		switch {
		case !ok:
			driverFlags = append(driverFlags, FlagDoc{f.Name, arg, usage})
		case f.Name == a:
			if !seen[""] {
				seen[""] = true
				shared = append(shared, FlagDoc{"NAME", "", usage})
			}
		case len(sharing[suffix]) > 1:
			if !seen[suffix] {
				seen[suffix] = true
				if n := len(sharing[suffix]); n < len(o.all) {
					usage += " (" + strings.Join(sharing[suffix], ", ") + ")"
				}
				shared = append(shared, FlagDoc{"NAME." + suffix, arg, usage})
			}
		default:
			own = append(own, FlagDoc{f.Name, arg, usage})
		}
	})
	return slices.Concat(driverFlags, shared, own)
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
