package main

import (
	"fmt"
	"go/build"
	"go/build/constraint"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// testDirs are the directories of $GOROOT/test whose .go files are test
// cases, as cmd/internal/testdir lists them; files in other directories
// (the *.dir trees of rundir tests) are parts of larger tests.
var testDirs = []string{".", "ken", "chan", "interface", "internal/runtime/sys", "syntax", "dwarf", "fixedbugs", "codegen", "abi", "typeparam", "typeparam/mdempsky", "arenas", "simd"}

// A program is one runnable test case of $GOROOT/test: a file whose recipe
// is "// run", with the go command flags, environment and arguments the
// recipe gives, as cmd/internal/testdir reads them.
type program struct {
	Name       string   // path under $GOROOT/test, slash-separated: "ken/chan.go"
	ExtraFiles []string // more files of package main named by the recipe, same directory
	Flags      []string // go build flags: -gcflags=…, -tags=…, -race
	Env        []string // GOEXPERIMENT=…, GODEBUG=… for every command
	Args       []string // the program's arguments
	Timeout    int      // the recipe's -t, in seconds; 0 if none
	Expected   *string  // the .out file's content; nil: no .out, output must be empty
	GoLine     string   // the scratch module's go line
}

// race reports whether the recipe itself runs the program with -race.
func (p *program) race() bool { return slices.Contains(p.Flags, "-race") }

// dirName is the program's directory in the scratch tree.
func (p *program) dirName() string {
	return strings.NewReplacer("/", "_", ".go", "").Replace(p.Name)
}

// A skip is a "// run" file that is not a program here, and why.
type skip struct{ name, why string }

// selectPrograms returns the runnable programs under testRoot
// ($GOROOT/test) whose names match re, and the "// run" files left out.
// goLine is the toolchain's language version ("1.26"): cmd/internal/testdir
// compiles a file without -lang, so at the toolchain's own version unless
// the recipe's -gcflags say otherwise.
func selectPrograms(testRoot string, re *regexp.Regexp, goLine string) ([]*program, []skip, error) {
	var progs []*program
	var skips []skip
	for _, dir := range testDirs {
		entries, err := os.ReadDir(filepath.Join(testRoot, dir))
		if os.IsNotExist(err) {
			continue // not in this Go release
		}
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name())
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasPrefix(e.Name(), ".") {
				continue // not a test case
			}
			if re != nil && !re.MatchString(name) {
				continue // not asked for
			}
			src, err := os.ReadFile(filepath.Join(testRoot, name))
			if err != nil {
				return nil, nil, err
			}
			p, why := parseRecipe(name, string(src), goLine)
			if p == nil {
				if why != "" {
					skips = append(skips, skip{name, why})
				}
				continue
			}
			out, err := os.ReadFile(filepath.Join(testRoot, strings.TrimSuffix(name, ".go")+".out"))
			switch {
			case err == nil:
				s := string(out)
				p.Expected = &s
			case !os.IsNotExist(err):
				return nil, nil, err
			}
			progs = append(progs, p)
		}
	}
	slices.SortFunc(progs, func(a, b *program) int { return strings.Compare(a.Name, b.Name) })
	return progs, skips, nil
}

// parseRecipe reads the recipe of the test file name. It returns nil and
// "" for a file that is not a "// run" test, nil and a reason for one that
// is but is not taken here.
func parseRecipe(name, src, goLine string) (*program, string) {
	var action string
	for rest := src; action == "" && rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if constraint.IsGoBuild(line) || constraint.IsPlusBuild(line) {
			continue // the recipe follows the build constraints
		}
		action = strings.TrimSpace(strings.TrimPrefix(line, "//"))
	}
	fields, err := splitQuoted(action)
	if err != nil || len(fields) == 0 || fields[0] != "run" {
		return nil, "" // another kind of test
	}
	header, _, _ := strings.Cut(src, "\npackage")
	if ok, line := buildable(header); !ok {
		return nil, "excluded on " + build.Default.GOOS + "/" + build.Default.GOARCH + " by " + line
	}
	p := &program{Name: name, GoLine: goLine}
	args := fields[1:]
	var goexp, godebug []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-0", "-1", "-s":
			// error expectations and single-file packages: not for "run"
		case "-t":
			if len(args) < 2 {
				return nil, "malformed recipe: -t without seconds"
			}
			args = args[1:]
			n, err := strconv.Atoi(args[0])
			if err != nil {
				return nil, "malformed recipe: -t " + args[0]
			}
			p.Timeout = n
		case "-goexperiment", "-godebug":
			if len(args) < 2 {
				return nil, "malformed recipe: " + args[0] + " without a value"
			}
			if args[0] == "-goexperiment" {
				goexp = append(goexp, args[1])
			} else {
				godebug = append(godebug, args[1])
			}
			args = args[1:]
		case "-gomodversion":
			return nil, "-gomodversion is for runindir tests"
		default:
			p.Flags = append(p.Flags, args[0])
		}
		args = args[1:]
	}
	if len(goexp) > 0 {
		p.Env = append(p.Env, "GOEXPERIMENT="+strings.Join(goexp, ","))
	}
	if len(godebug) > 0 {
		p.Env = append(p.Env, "GODEBUG="+strings.Join(godebug, ","))
	}
	// As for go run: the arguments that name .go files are more files of
	// the package, the others are the program's.
	for _, a := range args {
		if strings.HasSuffix(a, ".go") {
			if strings.Contains(a, "/") {
				return nil, "names a file in another directory: " + a
			}
			p.ExtraFiles = append(p.ExtraFiles, a)
		} else {
			p.Args = append(p.Args, a)
		}
	}
	if v := langFlag(p.Flags); v != "" {
		p.GoLine = v
	}
	return p, ""
}

// langFlag returns the language version a -gcflags=…-lang=goX flag sets
// for the main package ("1.21"), or "".
func langFlag(flags []string) string {
	for i, f := range flags {
		value, ok := strings.CutPrefix(f, "-gcflags=")
		if !ok && f == "-gcflags" && i+1 < len(flags) {
			value, ok = flags[i+1], true
		}
		if !ok {
			continue
		}
		if m := regexp.MustCompile(`(?:^|[ =])-lang=go(1\.[0-9]+)`).FindStringSubmatch(value); m != nil {
			return m[1]
		}
	}
	return ""
}

// buildable evaluates the build constraints of a file's header as
// cmd/internal/testdir does for this GOOS/GOARCH, and returns the first
// line that excludes it.
func buildable(header string) (bool, string) {
	for _, line := range strings.Split(header, "\n") {
		expr, err := constraint.Parse(line)
		if err != nil {
			continue // not a constraint
		}
		if !expr.Eval(matchTag) {
			return false, strings.TrimSpace(line)
		}
	}
	return true, ""
}

// matchTag is cmd/internal/testdir's tag match, with the default build
// context's GOOS, GOARCH and cgo setting.
func matchTag(name string) bool {
	if name == "" || strings.IndexFunc(name, func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '_' && c != '.'
	}) >= 0 {
		return false
	}
	ctx := build.Default
	switch {
	case slices.Contains(ctx.ReleaseTags, name),
		name == ctx.GOOS, name == ctx.GOARCH, name == "gc", name == "test_run",
		name == "cgo" && ctx.CgoEnabled:
		return true
	case strings.HasPrefix(name, "goexperiment."):
		return slices.Contains(ctx.ToolTags, name)
	}
	return false
}

// splitQuoted splits s into fields as cmd/internal/testdir does: at
// blanks, with single- and double-quoted parts kept whole and unquoted.
func splitQuoted(s string) ([]string, error) {
	var fields []string
	var cur strings.Builder
	in, quote, escaped := false, rune(0), false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
			continue
		case quote != 0:
			if r == quote {
				quote = 0
				continue
			}
		case r == '"' || r == '\'':
			in, quote = true, r
			continue
		case unicode.IsSpace(r):
			if in {
				fields = append(fields, cur.String())
				cur.Reset()
				in = false
			}
			continue
		}
		in = true
		cur.WriteRune(r)
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if in {
		fields = append(fields, cur.String())
	}
	return fields, nil
}
