// Package suite gives the patched gopls resilvet's analyzers, configured
// from the environment.
//
// gopls switches whole analyzers with its own "analyses" setting, by name,
// but has no setting an analyzer could read its rules from: its settings
// are per view, while an analyzer is one value shared by every view. So the
// rest of the configuration comes from RESILVET_FLAGS, read once when gopls
// starts, in the syntax of the resilvet command and go vet:
//
//	RESILVET_FLAGS='-fireforget.rules=+unjoined -unshielded.tests'
//
// Each word is one of an analyzer's own flags, -NAME.FLAG or -NAME.FLAG=VALUE,
// set through the flag package on a clone of the analyzer, so a rule switch
// means what -NAME.rules means everywhere else and is validated the same way.
//
// gopls keeps analysis results on disk, keyed by the analyzers' names but
// not their flags, so a gopls started with other flags would show the
// findings cached under the old ones. IsolateCache gives each value of
// RESILVET_FLAGS a cache directory of its own.
package suite

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/lint"
)

// Env names the environment variable that configures the analyzers.
const Env = "RESILVET_FLAGS"

// Analyzers returns clones of resilvet.Suite configured by flags, the
// value of RESILVET_FLAGS: words separated by white space, each
// -NAME.FLAG[=VALUE]. An unknown analyzer, flag or rule is an error that
// names it; so is a word that is not a flag, and an analyzer switch
// (-NAME=false), which gopls's "analyses" setting does instead.
func Analyzers(flags string) ([]*analysis.Analyzer, error) {
	fs := flag.NewFlagSet(Env, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the error is returned, not printed
	var out []*analysis.Analyzer
	for _, a := range resilvet.Suite {
		c := lint.Clone(a)
		c.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, c.Name+"."+f.Name, f.Usage)
		})
		out = append(out, c)
	}
	if err := fs.Parse(strings.Fields(flags)); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
			for _, a := range out {
				if name == a.Name {
					return nil, fmt.Errorf("%s: -%s: switch analyzers with gopls's \"analyses\" setting", Env, name)
				}
			}
		}
		return nil, fmt.Errorf("%s: %v (flags are -NAME.FLAG[=VALUE], as resilvet help lists them)", Env, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%s: %q is not a flag", Env, fs.Arg(0))
	}
	return out, nil
}

// IsolateCache points gopls's cache (GOPLSCACHE, which gopls reads after
// the package initialisation that calls this) at a directory of its own
// for flags, the value of RESILVET_FLAGS, unless flags are empty: gopls
// keys cached analysis results by analyzer name, not by flags. The
// directory is named by a hash of the flags, beside gopls's own.
func IsolateCache(flags string) error {
	words := strings.Fields(flags)
	if len(words) == 0 {
		return nil // the defaults: gopls's own cache directory
	}
	base := os.Getenv("GOPLSCACHE")
	if base == "" {
		var err error
		if base, err = os.UserCacheDir(); err != nil {
			base = os.TempDir() // as gopls falls back
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	dir := fmt.Sprintf("resilvet-%x", sum[:6])
	if filepath.Base(base) == dir {
		return nil // set already: gopls re-executes itself (its daemon, telemetry)
	}
	return os.Setenv("GOPLSCACHE", filepath.Join(base, dir))
}
