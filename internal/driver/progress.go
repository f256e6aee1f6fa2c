package driver

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/resilvet/resilvet/internal/lint"
)

// progress shows on a terminal what a long run is doing: one line on
// stderr, redrawn in place and erased when the work is done. Where stderr
// is not a terminal (CI logs, editors, pipes) it shows nothing. A nil
// *progress shows nothing too.
type progress struct {
	w     io.Writer
	start time.Time

	mu      sync.Mutex
	label   string
	total   int          // packages to analyse, or 0 while loading
	done    atomic.Int64 // packages at least one analyzer finished
	seen    sync.Map     // *types.Package → true, for done
	stop    chan struct{}
	stopped chan struct{}
}

// newProgress returns a progress that draws on w if w is a terminal.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progress{w: w, start: time.Now()}
}

// phase shows label ("loading packages") until the next phase or done.
func (p *progress) phase(label string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.label, p.total = label, 0
	p.mu.Unlock()
	p.run()
}

// analysing shows how many of the packages of roots' import graph the
// analyzers have finished; only the roots when no analyzer uses facts, as
// then dependencies are not analysed.
func (p *progress) analysing(roots []*packages.Package, analyzers []*analysis.Analyzer) {
	if p == nil {
		return
	}
	n := len(roots)
	for _, a := range analyzers {
		if len(a.FactTypes) > 0 || lint.FactsOf(a) != nil {
			n = 0
			packages.Visit(roots, nil, func(*packages.Package) { n++ })
			break
		}
	}
	p.mu.Lock()
	p.label, p.total = "analysing", n
	p.mu.Unlock()
	p.run()
}

// count wraps a's Run so that finishing a package advances the count.
func (p *progress) count(a *analysis.Analyzer) {
	if p == nil {
		return
	}
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		defer func() {
			if _, dup := p.seen.LoadOrStore(pass.Pkg, true); !dup {
				p.done.Add(1)
			}
		}()
		return run(pass)
	}
}

// run starts the redrawing goroutine unless it is running.
func (p *progress) run() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		return
	}
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go func(stop, stopped chan struct{}) {
		defer close(stopped)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			p.draw()
			select {
			case <-stop:
				fmt.Fprint(p.w, "\r\x1b[K") // erase the line
				return
			case <-tick.C:
			}
		}
	}(p.stop, p.stopped)
}

func (p *progress) draw() {
	p.mu.Lock()
	label, total := p.label, p.total
	p.mu.Unlock()
	elapsed := time.Since(p.start).Round(100 * time.Millisecond)
	if total > 0 {
		fmt.Fprintf(p.w, "\r\x1b[Kresilvet: %s: %d of %d packages (%s)", label, min(int(p.done.Load()), total), total, elapsed)
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[Kresilvet: %s (%s)", label, elapsed)
}

// finish erases the line and waits for the redrawing to end.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	stop, stopped := p.stop, p.stopped
	p.stop, p.stopped = nil, nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		<-stopped
	}
	p.done.Store(0)
	p.seen.Clear()
}

// skipped counts a package whose results came from the cache.
func (p *progress) skipped() {
	if p != nil {
		p.done.Add(1)
	}
}
