package singleton_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/resilvet/resilvet/runtime/task"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newTasks returns a task group for a test's attempts, which logs nowhere
// and records what it passes to OnError.
func newTasks() (*task.Group, *hook) {
	h := &hook{}
	return &task.Group{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), OnError: h.onError}, h
}

// shutdown shuts g down and fails the test if a task is left running.
func shutdown(t *testing.T, g *task.Group) {
	t.Helper()
	if err := g.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown = %v", err)
	}
}

// hook collects what a task group passes to OnError.
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
