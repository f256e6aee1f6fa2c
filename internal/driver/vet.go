package driver

import (
	"flag"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

// A vetCall is how the go command called resilvet, if it did.
type vetCall struct {
	vet     bool // speak the unitchecker protocol
	version bool // -V=full: the handshake, answered by printToolID
}

// parseVetCall decides whether args are the go command's, exactly as
// unitchecker.Main and multichecker.Main do: it parses them with the flags
// those declare (analysisflags.Parse in multi mode: -NAME, -NAME.flag,
// -flags, -V, -json, -c, -fix, -diff and the legacy -source, -v, -all and
// -tags) and then looks for the handshake flags or exactly one remaining
// argument ending in ".cfg". So every form the go command passes works:
// "-tags special" and "-NAME.rules +all" (a value in the next argument),
// "-json", "-V=full", "-flags". The analyzers' own flag values are not
// touched: stand-ins of the same kind are parsed.
func parseVetCall(suite []*analysis.Analyzer, args []string) vetCall {
	fs := flag.NewFlagSet("vet", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for _, a := range suite {
		fs.Var(&probe{isBool: true}, a.Name, "")
		a.Flags.VisitAll(func(f *flag.Flag) {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			fs.Var(&probe{isBool: ok && b.IsBoolFlag()}, a.Name+"."+f.Name, "")
		})
	}
	flags := fs.Bool("flags", false, "")
	v := &probe{isBool: true}
	fs.Var(v, "V", "")
	for _, name := range []string{"json", "fix", "diff", "source", "v", "all"} {
		fs.Bool(name, false, "")
	}
	fs.Int("c", -1, "")
	fs.String("tags", "", "")
	if err := fs.Parse(args); err != nil {
		return vetCall{} // not the go command's flags: the standalone driver says what is wrong
	}
	switch {
	case v.set:
		return vetCall{vet: true, version: true}
	case *flags:
		return vetCall{vet: true}
	}
	return vetCall{vet: fs.NArg() == 1 && strings.HasSuffix(fs.Arg(0), ".cfg")}
}

// probe stands in for a flag's value while parseVetCall parses.
type probe struct {
	isBool bool
	set    bool
}

func (p *probe) IsBoolFlag() bool { return p.isBool }
func (p *probe) String() string   { return "" }
func (p *probe) Set(string) error { p.set = true; return nil }

// vetSuite returns copies of suite whose diagnostics end with their
// category, " (analyzer/rule)", as the standalone driver prints them. Since
// Go 1.26 the go command runs the tool with -json for plain go vet too and
// prints only the message (cmd/go/internal/vet: "go vet => cmd/vet -json"),
// so the tool cannot tell go vet from go vet -json: the suffix is added in
// both, and the JSON keeps its category field as well. Without it a go vet
// user could not tell which rule to switch or name in a directive.
func vetSuite(suite []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(suite))
	for i, a := range suite {
		c := *a
		if lint.SpecOf(a) != nil {
			c = *lint.Clone(a) // its own flags, which unitchecker declares
		}
		run := c.Run
		c.Run = func(pass *analysis.Pass) (any, error) {
			wrapped := *pass // the driver's Pass stays as it made it
			report := pass.Report
			wrapped.Report = func(d analysis.Diagnostic) {
				if d.Category != "" && !strings.HasSuffix(d.Message, " ("+d.Category+")") {
					d.Message += " (" + d.Category + ")"
				}
				report(d)
			}
			return run(&wrapped)
		}
		out[i] = &c
	}
	return out
}
