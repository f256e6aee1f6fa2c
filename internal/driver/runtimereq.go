package driver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	goversion "go/version"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/resilvet/resilvet/internal/match"
)

// devRuntimeVersion is the runtime version a development build of resilvet
// requires: it resolves only through a replace directive.
const devRuntimeVersion = "v0.0.0-00010101000000-000000000000"

// A runtimePlan is how -fix meets the runtime requirement of one module,
// decided before any fix that needs it is taken: either refused (and why,
// and what to do), or the go.mod and go.sum that -fix writes at the end if a
// fix it applied imports the runtime. The loads of later rounds read them
// through -modfile, so that the real go.mod is not touched before then.
type runtimePlan struct {
	gomod   string // the module's go.mod; "" for packages outside a module
	refused string // why the requirement cannot be met and what to do, or ""

	// vendored, for a module that vendors, are the runtime packages in
	// vendor/modules.txt: the only ones a fix may import there.
	vendored map[string]bool

	oldMod, newMod []byte // go.mod before and after; newMod nil: no change
	oldSum, newSum []byte // go.sum likewise
	modfile        string // newMod's temporary copy, for -modfile
	note           string // what the change is, for stderr
}

// allows reports whether a fix may import the runtime package path.
func (p *runtimePlan) allows(path string) bool {
	return p.refused == "" && (p.vendored == nil || p.vendored[path])
}

// planRuntime decides how the module of gomod gets the runtime module
// (tmp is a directory for the temporary go.mod). It never raises the go
// line, never runs go mod vendor, and works offline when the module cache
// or a replace can provide the runtime; otherwise it refuses.
func (r *fixRun) planRuntime(gomod, tmp string) *runtimePlan {
	p := &runtimePlan{gomod: gomod}
	if gomod == "" {
		p.refused = "the packages are in no module: runtime fixes need one (go mod init)"
		return p
	}
	dir := filepath.Dir(gomod)
	rel := relPath(gomod)
	if r.env.gowork != "" {
		// A workspace cannot be given a -modfile, and its go.work is the
		// user's development setup: use what it resolves, change nothing.
		if goCmd(dir, "list", "-m", match.RuntimePath).Run() == nil {
			return p
		}
		p.refused = fmt.Sprintf("the workspace (%s) does not provide %s, and -fix does not edit go.work: add it to %s (go get %s@VERSION) or to the workspace (go work use DIR), then run -fix again",
			relPath(r.env.gowork), match.RuntimePath, rel, match.RuntimePath)
		return p
	}
	old, err := os.ReadFile(gomod)
	if err != nil {
		p.refused = err.Error()
		return p
	}
	p.oldMod = old
	mf, err := modfile.Parse(gomod, old, nil)
	if err != nil {
		p.refused = err.Error()
		return p
	}
	if vendored, ok, err := vendoredRuntime(dir); err != nil {
		p.refused = err.Error()
		return p
	} else if ok {
		p.vendored = vendored
		if len(vendored) == 0 {
			p.refused = fmt.Sprintf("the module vendors its dependencies (vendor/modules.txt) and -fix does not run go mod vendor: go get %s@VERSION && go mod vendor, then run -fix again", match.RuntimePath)
		}
		return p // vendored packages need no go.mod change; others are refused
	}
	if !r.src.writable(gomod) {
		p.refused = rel + " is read-only"
		return p
	}

	var required *modfile.Require
	for _, req := range mf.Require {
		if req.Mod.Path == match.RuntimePath {
			required = req
		}
	}
	if required != nil {
		if !required.Indirect {
			return p // nothing to change
		}
		// The fixes import it directly now: say so, as go mod tidy would.
		reqs := requires(mf)
		for _, req := range reqs {
			if req.Mod.Path == match.RuntimePath {
				req.Indirect = false
			}
		}
		mf.SetRequireSeparateIndirect(reqs)
		return r.finishPlan(p, mf, nil, tmp, fmt.Sprintf("%s: %s is now a direct requirement", rel, match.RuntimePath))
	}

	// The source of the runtime: -runtime DIR (or $RESILVET_RUNTIME), a
	// replace the module has already, a released resilvet's own version,
	// or the clone a development build was built from.
	var replace *modfile.Replace
	for _, rep := range mf.Replace {
		if rep.Old.Path == match.RuntimePath {
			replace = rep
		}
	}
	vers, replDir, why := version(), "", ""
	switch {
	case r.o.runtimeDir != "":
		abs, err := filepath.Abs(r.o.runtimeDir)
		if err == nil {
			_, err = runtimeModuleAt(abs)
		}
		if err != nil {
			p.refused = fmt.Sprintf("%s %s: %v", r.o.runtimeFrom, r.o.runtimeDir, err)
			return p
		}
		vers, replDir, why = devRuntimeVersion, abs, "the runtime source named by "+r.o.runtimeFrom
	case replace != nil:
		if replace.Old.Version != "" {
			vers = replace.Old.Version
		} else if vers == "" {
			vers = devRuntimeVersion
		}
		why = "through the module's own replace directive"
	case vers != "":
		why = "this resilvet's own version"
	default:
		dir, ok := builtFromRuntime()
		if !ok {
			p.refused = "this development build of resilvet cannot find the runtime source it was built from (built with -trimpath, or its clone moved): name a clone's runtime directory with -runtime DIR or $RESILVET_RUNTIME"
			return p
		}
		vers, replDir, why = devRuntimeVersion, dir, "the runtime source this development build of resilvet was built from"
	}
	if replDir != "" {
		rt, _ := runtimeModuleAt(replDir)
		if rt.Go != nil && (mf.Go == nil || goversion.Compare("go"+mf.Go.Version, "go"+rt.Go.Version) < 0) {
			p.refused = goLineRefusal(rel, mf, rt.Go.Version)
			return p
		}
		if err := mf.AddReplace(match.RuntimePath, "", replDir, ""); err != nil {
			p.refused = err.Error()
			return p
		}
	}

	// go get, on a copy, completes go.sum and any requirement the runtime
	// brings; it resolves through the module cache and GOPROXY as the
	// user's own go get would, so offline it works exactly when the
	// runtime is cached or replaced.
	sum, _ := os.ReadFile(filepath.Join(dir, "go.sum"))
	p.oldSum = sum
	tmpMod := filepath.Join(tmp, "go.mod")
	withReplace, err := mf.Format()
	if err != nil {
		p.refused = err.Error()
		return p
	}
	if err := os.WriteFile(tmpMod, withReplace, 0o644); err != nil {
		p.refused = err.Error()
		return p
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
		p.refused = err.Error()
		return p
	}
	var out bytes.Buffer
	cmd := goCmd(dir, "get", "-modfile="+tmpMod, match.RuntimePath+"@"+vers)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		msg, _, _ = strings.Cut(msg, "\n")
		p.refused = fmt.Sprintf("%s@%s cannot be had (%s): make it reachable (GOPROXY, the module cache, or -runtime DIR for a clone) and run -fix again",
			match.RuntimePath, vers, strings.TrimPrefix(msg, "go: "))
		return p
	}
	got, err := os.ReadFile(tmpMod)
	if err != nil {
		p.refused = err.Error()
		return p
	}
	after, err := modfile.Parse(tmpMod, got, nil)
	if err != nil {
		p.refused = err.Error()
		return p
	}
	if goLine(after) != goLine(mf) || toolchain(after) != toolchain(mf) {
		p.refused = goLineRefusal(rel, mf, goLine(after))
		return p
	}
	// go get marks the requirement // indirect (it does not see the fixed
	// files); the fixes import it. Keep the user's file, its blocks and
	// comments, with the requirements go get chose.
	reqs := requires(after)
	for _, req := range reqs {
		if req.Mod.Path == match.RuntimePath {
			req.Indirect = false
		}
	}
	mf.SetRequireSeparateIndirect(reqs)
	completeSums(dir, tmpMod)
	newSum, err := os.ReadFile(filepath.Join(tmp, "go.sum"))
	if err != nil {
		p.refused = err.Error()
		return p
	}
	note := fmt.Sprintf("%s: require %s %s (%s)", rel, match.RuntimePath, vers, why)
	if replDir != "" {
		note = fmt.Sprintf("%s: require %s %s, replaced by %s (%s; a replace holds in this module's own builds only: require a released runtime once there is one)",
			rel, match.RuntimePath, vers, replDir, why)
	}
	return r.finishPlan(p, mf, newSum, tmp, note)
}

// completeSums adds to the go.sum beside tmpMod the checksums of the
// runtime module's own requirements, which go mod tidy keeps so that the
// tests of the runtime's packages can be loaded too. Where they are not in
// the module cache (offline) the build does not need them, so a failure
// here costs nothing but tidiness.
func completeSums(dir, tmpMod string) {
	out, err := goCmd(dir, "list", "-modfile="+tmpMod, "-m", "-json", match.RuntimePath).Output()
	if err != nil {
		return
	}
	var m struct{ GoMod string }
	if json.Unmarshal(out, &m) != nil || m.GoMod == "" {
		return
	}
	data, err := os.ReadFile(m.GoMod)
	if err != nil {
		return
	}
	rt, err := modfile.ParseLax(m.GoMod, data, nil)
	if err != nil || len(rt.Require) == 0 {
		return
	}
	args := []string{"mod", "download", "-modfile=" + tmpMod}
	for _, req := range rt.Require {
		args = append(args, req.Mod.Path)
	}
	_ = goCmd(dir, args...).Run() // best effort, see above
}

// finishPlan formats mf as the go.mod -fix will write, and writes it (and
// sum, if any) where the loads of the next rounds read them (-modfile).
func (r *fixRun) finishPlan(p *runtimePlan, mf *modfile.File, sum []byte, tmp, note string) *runtimePlan {
	mf.Cleanup()
	newMod, err := mf.Format()
	if err != nil {
		p.refused = err.Error()
		return p
	}
	p.newMod, p.note = newMod, note
	if sum != nil && !bytes.Equal(sum, p.oldSum) {
		p.newSum = sum
	} else if sum == nil {
		sum, _ = os.ReadFile(filepath.Join(filepath.Dir(p.gomod), "go.sum"))
		p.oldSum = sum
	}
	p.modfile = filepath.Join(tmp, "go.mod")
	if err := os.WriteFile(p.modfile, newMod, 0o644); err != nil {
		p.refused = err.Error()
		return p
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), cmpOr(p.newSum, p.oldSum), 0o644); err != nil {
		p.refused = err.Error()
		return p
	}
	return p
}

func cmpOr(a, b []byte) []byte {
	if a != nil {
		return a
	}
	return b
}

func requires(mf *modfile.File) []*modfile.Require {
	out := make([]*modfile.Require, len(mf.Require))
	for i, req := range mf.Require {
		out[i] = &modfile.Require{Mod: req.Mod, Indirect: req.Indirect}
	}
	return out
}

func goLine(mf *modfile.File) string {
	if mf.Go == nil {
		return ""
	}
	return mf.Go.Version
}

func toolchain(mf *modfile.File) string {
	if mf.Toolchain == nil {
		return ""
	}
	return mf.Toolchain.Name
}

// goLineRefusal says why -fix will not raise the go line.
func goLineRefusal(gomod string, mf *modfile.File, need string) string {
	have := goLine(mf)
	if have == "" {
		have = "no go version"
	} else {
		have = "go " + have
	}
	return fmt.Sprintf("%s says %s and the runtime module needs go %s: -fix does not raise a go line, which changes the meaning of code no fix touched (loop variables, for one): raise it yourself (go mod edit -go=%s) and run -fix again",
		gomod, have, need, need)
}

// vendoredRuntime reports whether the module in dir vendors its
// dependencies and, if so, which runtime packages vendor/modules.txt lists.
func vendoredRuntime(dir string) (map[string]bool, bool, error) {
	f, err := os.Open(filepath.Join(dir, "vendor", "modules.txt"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	pkgs := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, match.RuntimePath+"/") {
			pkgs[line] = true
		}
	}
	return pkgs, true, sc.Err()
}

func goCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	return cmd
}
