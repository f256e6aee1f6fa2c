// Latency measures how long gopls takes from a didChange to the
// publishDiagnostics that answers it, for gopls binaries given by name:
//
//	go run ./latency [-n 10] [-rounds 3] [-file FILE] [-profile DIR] stock=bin/gopls-stock resilvet=bin/gopls
//
// The default file is net/http's server.go in this Go installation's
// source, analysed in place as part of the standard library (a copy
// elsewhere could not import std's internal packages); nothing is written
// to it, since the edits exist only in the server's memory. The workspace
// is the file's directory, as an editor opened on net/http sees it
// (expandWorkspaceToModule is off, so that the rest of std is loaded as
// dependencies only, not as workspace packages diagnosed on every edit).
//
// Each edit appends a line with a misuse of fmt.Sprintf at a new line
// number, so that the diagnostics change and one of gopls's own analyzers
// (printf) reports it: the publish that contains it comes after the whole
// package has been type-checked and analysed for that version.
// diagnosticsDelay is 0, so gopls publishes once per version, after
// analysis, rather than first type errors and analysis a second later.
//
// Each round starts every binary afresh, in turn (the order alternates
// between rounds), with an empty gopls cache: the first diagnostics of a
// process are the cold time (loading std and analysing net/http's
// dependencies), the next n edits the warm latencies. It prints the median,
// the minimum and the ratio of medians against the first binary; the
// median CPU time of an edit (the server's, from didChange to the publish:
// on a loaded machine it says more than the wall time about what the edit
// costs); and the medians of the processes' CPU time and peak RSS.
// -profile keeps each process's CPU profile, to see where the time goes.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/resilvet/resilvet/tools/gopls/internal/lsp"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("latency: ")
	n := flag.Int("n", 10, "edits measured per process")
	rounds := flag.Int("rounds", 3, "processes started per binary")
	file := flag.String("file", filepath.Join(runtime.GOROOT(), "src", "net", "http", "server.go"), "the Go `file` edited")
	root := flag.String("root", "", "the workspace folder (default: the file's directory)")
	timeout := flag.Duration("timeout", 10*time.Minute, "the longest wait for one publish")
	profile := flag.String("profile", "", "write each process's CPU profile to `dir`/NAME-ROUND.pprof (gopls -profile.cpu)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./latency [flags] NAME=GOPLS...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	type binary struct {
		name, path string
		cold, warm []time.Duration
		rss        []int64
		cpu        []time.Duration
		editCPU    []time.Duration // per edit, didChange to publish
	}
	var bins []*binary
	for _, arg := range flag.Args() {
		name, path, ok := strings.Cut(arg, "=")
		if !ok {
			log.Fatalf("%q is not NAME=GOPLS", arg)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			log.Fatal(err)
		}
		bins = append(bins, &binary{name: name, path: abs})
	}
	if *root == "" {
		*root = filepath.Dir(*file)
	}
	text, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}

	for r := range *rounds {
		order := slices.Clone(bins)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, b := range order {
			var args []string
			if *profile != "" {
				args = []string{"-profile.cpu=" + filepath.Join(*profile, fmt.Sprintf("%s-%d.pprof", b.name, r+1))}
			}
			cold, warm, editCPU, rss, cpu, err := measure(b.path, args, *root, *file, string(text), *n, *timeout)
			if err != nil {
				log.Fatalf("%s, round %d: %v", b.name, r+1, err)
			}
			b.cold = append(b.cold, cold)
			b.warm = append(b.warm, warm...)
			b.rss = append(b.rss, rss)
			b.cpu = append(b.cpu, cpu)
			b.editCPU = append(b.editCPU, editCPU...)
			log.Printf("%s, round %d: cold %v, warm median %v, edit CPU median %v, CPU %v, peak RSS %d MiB", b.name, r+1,
				cold.Round(time.Millisecond), median(warm).Round(time.Millisecond), median(editCPU), cpu.Round(time.Millisecond), rss>>20)
		}
	}

	fmt.Printf("file %s: %d lines; %d rounds of %d edits; %s\n", *file, strings.Count(string(text), "\n"), *rounds, *n, runtime.Version())
	fmt.Printf("%-10s %12s %10s %8s %12s %8s %12s %8s %12s %8s %9s %8s\n", "binary", "warm median", "warm min", "ratio",
		"edit CPU", "ratio", "cold median", "ratio", "CPU median", "ratio", "peak RSS", "ratio")
	for _, b := range bins {
		fmt.Printf("%-10s %12v %10v %7.2fx %12v %7.2fx %12v %7.2fx %12v %7.2fx %5d MiB %7.2fx\n", b.name,
			median(b.warm).Round(time.Millisecond), slices.Min(b.warm).Round(time.Millisecond),
			float64(median(b.warm))/float64(median(bins[0].warm)),
			median(b.editCPU), float64(median(b.editCPU))/float64(median(bins[0].editCPU)),
			median(b.cold).Round(time.Millisecond),
			float64(median(b.cold))/float64(median(bins[0].cold)),
			median(b.cpu).Round(time.Millisecond),
			float64(median(b.cpu))/float64(median(bins[0].cpu)),
			median(b.rss)>>20, float64(median(b.rss))/float64(median(bins[0].rss)))
	}
}

// measure starts gopls with an empty cache, opens file and returns the
// time to its first complete diagnostics, the latencies of n edits, and
// the process's CPU time and peak RSS over all of it. CPU time depends
// less than wall time on what else the machine runs.
func measure(bin string, args []string, root, file, text string, n int, timeout time.Duration) (cold time.Duration, warm, editCPU []time.Duration, rss int64, cpu time.Duration, err error) {
	cache, err := os.MkdirTemp("", "gopls-latency-")
	if err != nil {
		return 0, nil, nil, 0, 0, err
	}
	defer os.RemoveAll(cache)
	// An empty module cache: the standard library needs none, and gopls
	// indexes the module cache in the background from its start (for
	// unimported completions), which on a machine with a large one costs
	// more CPU time than the whole of net/http's analysis and overlaps the
	// edits measured.
	modcache, err := os.MkdirTemp("", "gopls-latency-modcache-")
	if err != nil {
		return 0, nil, nil, 0, 0, err
	}
	defer os.RemoveAll(modcache)
	env := append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "RESILVET_FLAGS=") || strings.HasPrefix(kv, "GOPLSCACHE=") || strings.HasPrefix(kv, "GOMODCACHE=")
	}), "GOPLSCACHE="+cache, "GOMODCACHE="+modcache, "GOPROXY=off", "GOTOOLCHAIN=local")
	s, err := lsp.Start(bin, root, env, args...)
	if err != nil {
		return 0, nil, nil, 0, 0, err
	}
	defer func() {
		// A server that does not shut down cleanly makes the run's numbers suspect.
		if cerr := s.Close(time.Minute); cerr != nil && err == nil {
			err = fmt.Errorf("shutdown: %v\n%s", cerr, s.Stderr())
		}
		rss, cpu = s.MaxRSS(), s.CPUTime()
	}()
	s.SetSettings(map[string]any{"diagnosticsDelay": "0s", "expandWorkspaceToModule": false})
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if _, err := s.Initialize(ctx, root); err != nil {
		return 0, nil, nil, 0, 0, err
	}

	uri := lsp.URI(file)
	edited := func(i int) (string, int) {
		// i blank lines, then the misuse, at a line no earlier edit used.
		return text + strings.Repeat("\n", i+1) + "var _ = fmt.Sprintf(\"%d\", \"latency\")\n",
			strings.Count(text, "\n") + i + 1
	}
	published := func(version, line int) func(lsp.Published) bool {
		return func(p lsp.Published) bool {
			if p.Version == nil || *p.Version != version {
				return false
			}
			return slices.ContainsFunc(p.Diagnostics, func(d lsp.Diagnostic) bool {
				return d.Source == "printf" && d.Range.Start.Line == line
			})
		}
	}

	first, line := edited(0)
	mark := s.Mark()
	start := time.Now()
	if err := s.Open(file, first); err != nil {
		return 0, nil, nil, 0, 0, err
	}
	p, err := s.Await(ctx, mark, uri, published(1, line))
	if err != nil {
		return 0, nil, nil, 0, 0, fmt.Errorf("first diagnostics: %v\n%s", err, s.Stderr())
	}
	cold = p.At.Sub(start)

	for i := 1; i <= n; i++ {
		next, line := edited(i)
		mark := s.Mark()
		cpu0, err := s.CPUSoFar()
		if err != nil {
			return 0, nil, nil, 0, 0, err
		}
		start := time.Now()
		if err := s.Change(file, i+1, next); err != nil {
			return 0, nil, nil, 0, 0, err
		}
		p, err := s.Await(ctx, mark, uri, published(i+1, line))
		if err != nil {
			return 0, nil, nil, 0, 0, fmt.Errorf("edit %d: %v\n%s", i, err, s.Stderr())
		}
		warm = append(warm, p.At.Sub(start))
		cpu1, err := s.CPUSoFar()
		if err != nil {
			return 0, nil, nil, 0, 0, err
		}
		editCPU = append(editCPU, cpu1-cpu0)
	}
	return cold, warm, editCPU, 0, 0, nil
}

func median[T time.Duration | int64](ds []T) T {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
