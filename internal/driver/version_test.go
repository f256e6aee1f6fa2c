package driver

import (
	"runtime/debug"
	"testing"
)

// TestReleasedVersion checks which builds count as released, and so require
// the runtime at their own version, and which are a clone's: the README's
// first command, run in a clone on a machine with the go command's default
// -buildvcs, stamps a pseudo-version of the checked-out commit, which no
// proxy serves (issue 12, item 2).
func TestReleasedVersion(t *testing.T) {
	const mod, sum = "github.com/resilvet/resilvet", "h1:5sOnN2AFf5nQYnW0yJqB7YLFMvNjCjY6fcqhqsvZ5oU="
	for _, tc := range []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"go install …@v0.1.0", debug.BuildInfo{Main: debug.Module{Path: mod, Version: "v0.1.0", Sum: sum}}, "v0.1.0"},
		{"go install …@commit", debug.BuildInfo{Main: debug.Module{Path: mod, Version: "v0.0.0-20261201234644-8956358c98db", Sum: sum}}, "v0.0.0-20261201234644-8956358c98db"},
		{"go build in a clone, -buildvcs=false", debug.BuildInfo{Main: debug.Module{Path: mod, Version: "(devel)"}}, ""},
		{"go build in a clone", debug.BuildInfo{Main: debug.Module{Path: mod, Version: "v0.0.0-20261201234644-8956358c98db"}}, ""},
		{"go build in a clone at a tag", debug.BuildInfo{Main: debug.Module{Path: mod, Version: "v0.1.0"}}, ""},
		{"go build in a modified clone", debug.BuildInfo{Main: debug.Module{Path: mod, Version: "v0.0.0-20261201234644-8956358c98db+dirty"}}, ""},
		{"a tool dependency", debug.BuildInfo{
			Main: debug.Module{Path: "example.com/svc", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "golang.org/x/tools", Version: "v0.52.0", Sum: sum}, {Path: mod, Version: "v0.1.0", Sum: sum}},
		}, "v0.1.0"},
		{"a replaced tool dependency", debug.BuildInfo{
			Main: debug.Module{Path: "example.com/svc", Version: "(devel)"},
			Deps: []*debug.Module{{Path: mod, Version: "v0.1.0", Replace: &debug.Module{Path: "../resilvet"}}},
		}, ""},
	} {
		if got := releasedVersion(&tc.bi); got != tc.want {
			t.Errorf("%s: releasedVersion = %q, want %q", tc.name, got, tc.want)
		}
	}
}
