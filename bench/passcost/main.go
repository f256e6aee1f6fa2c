// Passcost measures what each of resilvet's analyzers costs, pass by pass,
// over packages and their test variants: the time and the bytes allocated
// by every Run, summed per analyzer over the root packages (where every
// analyzer runs, as gopls runs them on the packages of the file edited)
// and over their dependencies (where only the analyzers that export facts
// run, with those they require, inspect among them).
//
//	go run ./bench/passcost [-vet] [-runs 3] [-top N] [-cpuprofile FILE] [PATTERN...]   # default net/http/...
//
// It loads the packages with go/packages and runs go/analysis/checker
// sequentially, so that each Run is timed alone (wall time, which on a
// loaded machine includes time the process waited for a core: of -runs
// analyses the fastest of each pass counts). -vet adds most of go vet's
// analyzers to the same run, as a yardstick; -top lists the costliest
// passes; -cpuprofile writes a CPU profile whose samples are labelled by
// analyzer and root (go tool pprof -tagfocus=analyzer=NAME).
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"go/types"
	"log"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet"
)

type cost struct {
	runs  int
	time  time.Duration
	alloc uint64
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("passcost: ")
	vet := flag.Bool("vet", false, "also run go vet's analyzers, as a yardstick")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile, labelled by analyzer and root, to `file`")
	top := flag.Int("top", 0, "also list the `n` costliest passes")
	runs := flag.Int("runs", 3, "analyses of the loaded packages; the fastest of each pass counts")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"net/http/..."}
	}

	start := time.Now()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Tests: true}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		log.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		os.Exit(1)
	}
	nroots, ndeps := len(pkgs), 0
	packages.Visit(pkgs, nil, func(*packages.Package) { ndeps++ })
	fmt.Printf("loaded %d root packages (with test variants), %d in all, in %v\n", nroots, ndeps, time.Since(start).Round(time.Millisecond))

	analyzers := slices.Clone(resilvet.Suite)
	if *vet {
		analyzers = append(analyzers, vetAnalyzers...)
	}

	// Wrap every Run in the Requires closure, once: the checker calls the
	// wrapped Run, which records the pass's cost under its analyzer and
	// whether the package is a root.
	roots := make(map[*packages.Package]bool)
	for _, p := range pkgs {
		roots[p] = true
	}
	byTypes := make(map[*types.Package]*packages.Package) // the checker passes p.Types
	packages.Visit(pkgs, nil, func(p *packages.Package) { byTypes[p.Types] = p })
	type key struct {
		analyzer string
		root     bool
		pkg      string
	}
	best := make(map[key]cost)
	var current map[key]cost
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	allocs := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	wrapped := make(map[*analysis.Analyzer]bool)
	var wrap func(a *analysis.Analyzer)
	wrap = func(a *analysis.Analyzer) {
		if wrapped[a] {
			return
		}
		wrapped[a] = true
		for _, r := range a.Requires {
			wrap(r)
		}
		run := a.Run
		a.Run = func(pass *analysis.Pass) (any, error) {
			p := byTypes[pass.Pkg]
			a0, t0 := allocs(), time.Now()
			var res any
			var err error
			pprof.Do(context.Background(), pprof.Labels("analyzer", a.Name, "root", fmt.Sprint(roots[p])), func(context.Context) {
				res, err = run(pass)
			})
			k := key{a.Name, roots[p], p.ID}
			c := current[k]
			current[k] = cost{c.runs + 1, c.time + time.Since(t0), c.alloc + allocs() - a0}
			return res, err
		}
	}
	for _, a := range analyzers {
		wrap(a)
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	for range *runs {
		current = make(map[key]cost)
		runtime.GC()
		t0 := time.Now()
		g, err := checker.Analyze(analyzers, pkgs, &checker.Options{Sequential: true})
		if err != nil {
			log.Fatal(err)
		}
		for act := range g.All() {
			if act.Err != nil {
				log.Printf("%s: %v", act, act.Err)
			}
		}
		fmt.Printf("analysis: %v\n", time.Since(t0).Round(time.Millisecond))
		for k, c := range current {
			if b, ok := best[k]; !ok || c.time < b.time {
				best[k] = c
			}
		}
	}

	if *top > 0 {
		keys := make([]key, 0, len(best))
		for k := range best {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b key) int { return cmp.Compare(best[b].time, best[a].time) })
		for _, k := range keys[:min(*top, len(keys))] {
			fmt.Printf("%-16s %-60s %10v %8.1fMB\n", k.analyzer, k.pkg, best[k].time.Round(100*time.Microsecond), float64(best[k].alloc)/1e6)
		}
	}

	type row struct {
		name       string
		root, deps cost
	}
	byName := make(map[string]*row)
	for k, c := range best {
		r := byName[k.analyzer]
		if r == nil {
			r = &row{name: k.analyzer}
			byName[k.analyzer] = r
		}
		s := &r.deps
		if k.root {
			s = &r.root
		}
		s.runs += c.runs
		s.time += c.time
		s.alloc += c.alloc
	}
	rows := make([]*row, 0, len(byName))
	for _, r := range byName {
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b *row) int { return cmp.Compare(b.root.time+b.deps.time, a.root.time+a.deps.time) })
	fmt.Printf("%-16s %6s %10s %10s   %6s %10s %10s\n", "analyzer", "roots", "time", "alloc", "deps", "time", "alloc")
	var tr, td time.Duration
	for _, r := range rows {
		fmt.Printf("%-16s %6d %10v %8.1fMB   %6d %10v %8.1fMB\n", r.name, r.root.runs, r.root.time.Round(100*time.Microsecond), float64(r.root.alloc)/1e6,
			r.deps.runs, r.deps.time.Round(100*time.Microsecond), float64(r.deps.alloc)/1e6)
		tr += r.root.time
		td += r.deps.time
	}
	fmt.Printf("%-16s %6s %10v %10s   %6s %10v\n", "total", "", tr.Round(time.Millisecond), "", "", td.Round(time.Millisecond))
}
