package task_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

//go:noinline
func panicHere() { panic("kaboom") }

// recovering is newGroup with RecoverPanics set.
func recovering() (*task.Group, *recorder, *hook) {
	g, rec, h := newGroup()
	g.RecoverPanics = true
	return g, rec, h
}

func TestRecoveredPanicBecomesError(t *testing.T) {
	g, rec, h := recovering()
	g.Go("panics", func(context.Context) error { panicHere(); return nil })
	err := g.Shutdown(context.Background())
	if want := `task: shutdown: 1 task panicked: "panics"`; err == nil || err.Error() != want {
		t.Fatalf("Shutdown = %v, want %q", err, want)
	}
	_, errs := h.got()
	if len(errs) != 1 {
		t.Fatalf("OnError called %d times, want 1", len(errs))
	}
	var pe *task.PanicError
	if !errors.As(errs[0], &pe) {
		t.Fatalf("error %T %v is not a *PanicError", errs[0], errs[0])
	}
	if pe.Value != "kaboom" {
		t.Errorf("PanicError.Value = %v, want kaboom", pe.Value)
	}
	if got := pe.Error(); got != "task: panic: kaboom" {
		t.Errorf("Error() = %q", got)
	}
	if !strings.Contains(string(pe.Stack), "panicHere") {
		t.Errorf("stack does not show the panicking function:\n%s", pe.Stack)
	}
	var fromShutdown *task.PanicError
	if !errors.As(err, &fromShutdown) || fromShutdown != pe {
		t.Errorf("Shutdown's error does not wrap the task's *PanicError")
	}
	logs := rec.all()
	if len(logs) != 1 || logs[0].msg != "task panicked" || logs[0].level != slog.LevelError {
		t.Fatalf("logs = %v", logs)
	}
	if !strings.Contains(logs[0].attrs["stack"].String(), "panicHere") {
		t.Error("logged stack does not show the panicking function")
	}
}

func TestRecoveredPanicWithErrorUnwraps(t *testing.T) {
	g, _, h := recovering()
	g.Go("eof", func(context.Context) error { panic(io.EOF) })
	g.Go("nil", func(context.Context) error { panic(nil) }) //nolint:govet // nilness: panic(nil) is the case under test
	err := g.Shutdown(context.Background())
	if !errors.Is(err, io.EOF) {
		t.Errorf("Shutdown = %v, want it to wrap the io.EOF panic", err)
	}
	_, errs := h.got()
	if len(errs) != 2 {
		t.Fatalf("OnError called %d times, want 2", len(errs))
	}
	var sawEOF, sawNil bool
	for _, err := range errs {
		var pnil *runtime.PanicNilError
		sawEOF = sawEOF || errors.Is(err, io.EOF)
		sawNil = sawNil || errors.As(err, &pnil)
	}
	if !sawEOF || !sawNil {
		t.Errorf("errors %v: want one wrapping io.EOF and one *runtime.PanicNilError", errs)
	}
}

// TestShutdownNamesPanickedTasks: every Shutdown, the later ones included,
// reports every recovered panic, repeated names counted, beside the tasks
// still running.
func TestShutdownNamesPanickedTasks(t *testing.T) {
	g, _, _ := recovering()
	hooked := make(chan struct{}, 3)
	g.OnError = func(string, error) { hooked <- struct{}{} }
	release := make(chan struct{})
	g.Go("stubborn", func(context.Context) error { <-release; return nil })
	for i := 0; i < 2; i++ {
		g.Go("parse", func(context.Context) error { panic("bad row") })
	}
	g.Go("index", func(context.Context) error { panic("bad key") })
	g.Go("fine", func(context.Context) error { return nil })
	for i := 0; i < 3; i++ {
		<-hooked
	}
	// A panicked task is reported before it leaves the list: poll until
	// the three have left, so that only stubborn is still running.
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if err = g.Shutdown(expired()); err != nil && strings.Contains(err.Error(), "1 task still running") {
			break
		}
	}
	re := regexp.MustCompile(`^task: shutdown: context canceled: 1 task still running: "stubborn" \(running [^)]+\); 3 tasks panicked: ("parse" ×2, "index"|"index", "parse" ×2)$`)
	if err == nil || !re.MatchString(err.Error()) {
		t.Errorf("Shutdown = %v, want it to match %s", err, re)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want it to wrap context.Canceled", err)
	}
	close(release)
	err = g.Shutdown(context.Background())
	if want := `task: shutdown: 3 tasks panicked: `; err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "still running") {
		t.Errorf("second Shutdown = %v, want the panics named again and no straggler", err)
	}
}

// expired returns a context that is already done.
func expired() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// The default policy crashes the process, so it is tested in a child
// process: the test binary run again with crashChild naming the case.
const crashChild = "TASK_CRASH_CHILD"

//go:noinline
func listenerCrashes() {
	var m map[string]int
	m["conn"]++ //nolint:govet,staticcheck // nilness, SA5000: the nil-map panic is the case under test
}

// TestPanicCrashesByDefault: a task's panic is logged (name, value, stack),
// then crashes the process as a bare go statement's panic does, with the
// panicking frames in the crash trace. Nothing else runs: not OnError, not
// the code after Shutdown.
func TestPanicCrashesByDefault(t *testing.T) {
	switch os.Getenv(crashChild) {
	case "group":
		g := task.Group{
			Logger:  slog.New(slog.NewTextHandler(os.Stderr, nil)),
			OnError: func(string, error) { os.Stderr.WriteString("OnError called\n") },
		}
		g.Go("rpc.listener", func(context.Context) error { listenerCrashes(); return nil })
		_ = g.Shutdown(context.Background())
		os.Stderr.WriteString("survived the panic\n")
		return
	case "default":
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
		task.Go(context.Background(), "rpc.listener", func(context.Context) error { listenerCrashes(); return nil })
		_ = task.Shutdown(context.Background())
		os.Stderr.WriteString("survived the panic\n")
		return
	case "":
	default:
		return
	}
	for _, child := range []string{"group", "default"} {
		t.Run(child, func(t *testing.T) {
			out, err := runChild(t, "^TestPanicCrashesByDefault$", crashChild+"="+child)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Errorf("child: err = %v, want exit status 2 (a Go panic)", err)
			}
			for _, want := range []string{
				`level=ERROR msg="task panicked" task=rpc.listener`,
				`error="task: panic: assignment to entry in nil map"`,
				"panic: assignment to entry in nil map [recovered, repanicked]",
				"task_test.listenerCrashes()", // the panicking frame, in the crash trace
				"panic_test.go:",
			} {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("child output lacks %q", want)
				}
			}
			// The log record comes before the crash trace, and the
			// trace shows the frame that panicked after the re-panic.
			logAt := bytes.Index(out, []byte(`msg="task panicked"`))
			crashAt := bytes.Index(out, []byte("panic: assignment to entry in nil map [recovered"))
			frameAt := bytes.LastIndex(out, []byte("task_test.listenerCrashes()"))
			if logAt < 0 || crashAt < logAt || frameAt < crashAt {
				t.Errorf("want the log record, then the crash, then the panicking frame")
			}
			for _, unwanted := range []string{"OnError called", "survived the panic"} {
				if bytes.Contains(out, []byte(unwanted)) {
					t.Errorf("child output has %q", unwanted)
				}
			}
			if t.Failed() {
				t.Logf("child output:\n%s", out)
			}
		})
	}
}

// runChild runs this test binary again with only the tests matching run, and
// env added to the environment, and returns its combined output.
func runChild(t *testing.T, run string, env ...string) ([]byte, error) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	return cmd.CombinedOutput()
}

func TestPanicErrorZeroAndPartial(t *testing.T) {
	tests := []struct {
		err  *task.PanicError
		want string
	}{
		{&task.PanicError{}, "task: panic: <nil>"},
		{&task.PanicError{Stack: []byte("goroutine 1")}, "task: panic: <nil>"},
		{&task.PanicError{Value: io.EOF}, "task: panic: EOF"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if err := (&task.PanicError{}).Unwrap(); err != nil {
		t.Errorf("zero PanicError's Unwrap() = %v, want nil", err)
	}
	if err := (&task.PanicError{Value: io.EOF}).Unwrap(); err != io.EOF {
		t.Errorf("Unwrap() = %v, want io.EOF", err)
	}
}
