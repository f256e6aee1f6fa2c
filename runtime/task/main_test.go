package task_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// recorder is a slog.Handler that keeps every record, at every level.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}

// logged is one record flattened for assertions.
type logged struct {
	level slog.Level
	msg   string
	attrs map[string]slog.Value
}

func (r *recorder) all() []logged {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []logged
	for _, rec := range r.records {
		l := logged{level: rec.Level, msg: rec.Message, attrs: map[string]slog.Value{}}
		rec.Attrs(func(a slog.Attr) bool {
			l.attrs[a.Key] = a.Value
			return true
		})
		out = append(out, l)
	}
	return out
}

// hook collects what a Group passes to OnError.
type hook struct {
	mu    sync.Mutex
	names []string
	errs  []error
}

func (h *hook) onError(name string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.names = append(h.names, name)
	h.errs = append(h.errs, err)
}

func (h *hook) got() ([]string, []error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.names...), append([]error(nil), h.errs...)
}
