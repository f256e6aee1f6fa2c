package suite_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resilvet/resilvet"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/tools/gopls/suite"
)

// These tests run with the x/tools that gopls requires (tools/gopls/go.mod
// replaces resilvet's newer one), so they also check that the analyzers
// still compile and configure against it.

func TestAnalyzersDefaults(t *testing.T) {
	got, err := suite.Analyzers("  \n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(resilvet.Suite) {
		t.Fatalf("%d analyzers, want the %d of resilvet.Suite", len(got), len(resilvet.Suite))
	}
	for i, a := range got {
		if a == resilvet.Suite[i] || a.Name != resilvet.Suite[i].Name {
			t.Errorf("analyzer %d is %s (%p), want a clone of %s", i, a.Name, a, resilvet.Suite[i].Name)
		}
		for _, r := range lint.SpecOf(a).Rules {
			if on := lint.ConfigOf(a).Rules[r.Name]; on != r.Default {
				t.Errorf("%s/%s is on=%v, want its default %v", a.Name, r.Name, on, r.Default)
			}
		}
	}
}

func TestAnalyzersFlags(t *testing.T) {
	got, err := suite.Analyzers("-unshielded.rules=-shared-work,+detached-wait\t-fireforget.tests -fireforget.strict=true")
	if err != nil {
		t.Fatal(err)
	}
	byName := make(map[string]lint.Config)
	for _, a := range got {
		byName[a.Name] = lint.ConfigOf(a)
	}
	if u := byName["unshielded"]; u.Rules["shared-work"] || !u.Rules["detached-wait"] || u.Rules["detached-call"] || u.Tests {
		t.Errorf("unshielded: %+v, want shared-work and detached-call off, detached-wait on, no tests", u)
	}
	if f := byName["fireforget"]; !f.Tests || !f.Strict {
		t.Errorf("fireforget: %+v, want tests and strict", f)
	}
	// The package-level analyzers that other drivers share are untouched.
	for _, a := range resilvet.Suite {
		if c := lint.ConfigOf(a); c.Tests || c.Strict || a.Name == "unshielded" && (!c.Rules["shared-work"] || c.Rules["detached-wait"]) {
			t.Errorf("resilvet.Suite's %s was modified: %+v", a.Name, c)
		}
	}
}

func TestAnalyzersErrors(t *testing.T) {
	for flags, want := range map[string]string{
		"-unshielded.rules=-nosuch": `unshielded has no rule "nosuch"`,
		"-nosuch.rules=+x":          "flag provided but not defined: -nosuch.rules",
		"-fireforget=false":         `-fireforget: switch analyzers with gopls's "analyses" setting`,
		"-unshielded":               `-unshielded: switch analyzers with gopls's "analyses" setting`,
		"-fireforget.tests=maybe":   `invalid boolean value "maybe" for -fireforget.tests`,
		"-fireforget.tests ./...":   `"./..." is not a flag`,
	} {
		_, err := suite.Analyzers(flags)
		if err == nil || !strings.HasPrefix(err.Error(), suite.Env+": ") || !strings.Contains(err.Error(), want) {
			t.Errorf("Analyzers(%q) = %v, want an error starting %s: and containing %q", flags, err, suite.Env, want)
		}
	}
}

func TestIsolateCache(t *testing.T) {
	base := t.TempDir()
	t.Setenv("GOPLSCACHE", base)
	if err := suite.IsolateCache(" "); err != nil || os.Getenv("GOPLSCACHE") != base {
		t.Fatalf("no flags: GOPLSCACHE=%s (%v), want it unchanged", os.Getenv("GOPLSCACHE"), err)
	}

	dirs := make(map[string]string) // GOPLSCACHE → flags
	for _, flags := range []string{"-unshielded.rules=-detached-call", "-unshielded.rules=+detached-wait", "-fireforget.tests"} {
		t.Setenv("GOPLSCACHE", base)
		if err := suite.IsolateCache(flags); err != nil {
			t.Fatal(err)
		}
		dir := os.Getenv("GOPLSCACHE")
		if filepath.Dir(dir) != base {
			t.Errorf("%q: GOPLSCACHE=%s, want a directory in %s", flags, dir, base)
		}
		if other, ok := dirs[dir]; ok {
			t.Errorf("%q and %q share the cache %s", flags, other, dir)
		}
		dirs[dir] = flags

		// gopls re-executes itself with its environment: the child uses
		// the same directory, not one inside it.
		if err := suite.IsolateCache(flags); err != nil || os.Getenv("GOPLSCACHE") != dir {
			t.Errorf("%q again: GOPLSCACHE=%s (%v), want %s", flags, os.Getenv("GOPLSCACHE"), err, dir)
		}
		// The same flags, spaced otherwise, are the same configuration.
		t.Setenv("GOPLSCACHE", base)
		if err := suite.IsolateCache("  " + flags + "\n"); err != nil || os.Getenv("GOPLSCACHE") != dir {
			t.Errorf("%q spaced otherwise: GOPLSCACHE=%s (%v), want %s", flags, os.Getenv("GOPLSCACHE"), err, dir)
		}
	}
}
