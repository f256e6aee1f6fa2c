package lint

import (
	"cmp"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Used identifies a suppression directive by the position of its comment.
type Used struct {
	Filename string
	Line     int
}

// Uses records the suppression directives that the passes of one analyzer
// value used. Only the standalone driver asks for it (see RecordUses): an
// unused directive can be told only after every package and test variant
// has been analysed, and the analyzers' Result belongs to the analyzers.
type Uses struct {
	mu   sync.Mutex // passes of many packages run at once
	used map[Used]bool
}

// RecordUses makes the passes of a, a clone that the caller owns (see
// Clone), record the directives they use, and returns the record. Passes of
// a run before the call record nothing.
func RecordUses(a *analysis.Analyzer) *Uses {
	st := stateOf(a)
	if st == nil {
		panic("lint.RecordUses: analyzer " + a.Name + " was not built by lint.New")
	}
	if st.uses == nil {
		st.uses = &Uses{used: make(map[Used]bool)}
	}
	return st.uses
}

func (u *Uses) add(d Used) {
	u.mu.Lock()
	u.used[d] = true
	u.mu.Unlock()
}

// Used reports whether the directive at d suppressed something.
func (u *Uses) Used(d Used) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.used[d]
}

// List returns the recorded directives in order of file and line.
func (u *Uses) List() []Used {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]Used, 0, len(u.used))
	for d := range u.used {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Used) int { return cmp.Or(cmp.Compare(a.Filename, b.Filename), cmp.Compare(a.Line, b.Line)) })
	return out
}

// Reset forgets what was recorded: a driver that analyses again (a round of
// -fix) judges the new code only.
func (u *Uses) Reset() {
	u.mu.Lock()
	clear(u.used)
	u.mu.Unlock()
}
