package driver

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loadMode is what every analyzer needs: syntax and types for all packages,
// since fact-exporting analyzers run over dependencies too.
const loadMode = packages.LoadAllSyntax | packages.NeedModule

// load loads the packages named by patterns. It returns the root packages
// and every error found in them or their dependencies, each naming
// file:line where there is one. An error of the pattern itself (no module,
// nothing matched) is returned as err.
func load(patterns []string, tests bool, tags string, overlay map[string][]byte) ([]*packages.Package, []string, error) {
	cfg := &packages.Config{
		Mode:    loadMode,
		Tests:   tests,
		Overlay: overlay,
	}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags=" + tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, nil, cleanLoadError(err)
	}
	var roots []*packages.Package
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") {
			continue // the generated test main: nothing of the user's to analyse
		}
		roots = append(roots, p)
	}
	errs := packageErrors(pkgs)
	if len(roots) == 0 && len(errs) == 0 {
		return nil, nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return roots, errs, nil
}

// packageErrors returns the distinct errors of pkgs and their dependencies.
func packageErrors(pkgs []*packages.Package) []string {
	var errs []string
	seen := make(map[string]bool)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			msg := formatPackageError(p, e)
			if !seen[msg] {
				seen[msg] = true
				errs = append(errs, msg)
			}
		}
		if p.Module != nil && p.Module.Error != nil {
			msg := fmt.Sprintf("%s: %s", p.Module.GoMod, p.Module.Error.Err)
			if !seen[msg] {
				seen[msg] = true
				errs = append(errs, msg)
			}
		}
	})
	slices.Sort(errs)
	return errs
}

func formatPackageError(p *packages.Package, e packages.Error) string {
	msg := strings.TrimSpace(e.Msg)
	if e.Pos != "" && e.Pos != "-" {
		return relPath(e.Pos) + ": " + msg
	}
	if strings.Contains(msg, ": ") && looksLikePosition(msg) {
		return msg // go list already put the position first
	}
	return fmt.Sprintf("package %s: %s", p.PkgPath, msg)
}

// looksLikePosition reports whether msg starts with "file.go:line".
func looksLikePosition(msg string) bool {
	file, rest, ok := strings.Cut(msg, ":")
	return ok && strings.HasSuffix(file, ".go") && len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9'
}

// exitStatusRE matches go/packages' "go list: exit status 1: " prefix.
var exitStatusRE = regexp.MustCompile(`^(?:go list: )?(?:exit status \d+: )?`)

// cleanLoadError drops go/packages' wrapping of the go command's message,
// which is what the user needs.
func cleanLoadError(err error) error {
	return errors.New(strings.TrimSpace(exitStatusRE.ReplaceAllString(err.Error(), "")))
}
