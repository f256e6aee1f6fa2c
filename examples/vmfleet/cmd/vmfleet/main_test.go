//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/resilvet/resilvet/examples/vmfleet/fakecloud"
	"github.com/resilvet/resilvet/examples/vmfleet/fleet"
	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/checkpoint"
	"go.uber.org/goleak"
)

// childEnv makes the test binary run vmfleet's main instead of the tests, so
// that a test can start it as a process of its own, and kill it.
const childEnv = "VMFLEET_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// A child is vmfleet running in a process of its own.
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	log    *logWriter
	url    string // of the status page
	waited chan error
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, log: &logWriter{url: make(chan string, 1)}, waited: make(chan error, 1)}
	c.cmd = exec.Command(exe, args...)
	c.cmd.Env = append(os.Environ(), childEnv+"=1")
	c.cmd.Stderr = c.log
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.waited <- c.cmd.Wait() }()
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			_ = c.cmd.Process.Kill()
			<-c.waited
		}
		if t.Failed() {
			t.Logf("vmfleet %v:\n%s", args, c.log.String())
		}
	})
	select {
	case c.url = <-c.log.url:
	case err := <-c.waited:
		c.waited <- err
		t.Fatalf("vmfleet exited at start: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("vmfleet did not serve its status page within 30s")
	}
	return c
}

// stop sends sig and returns how the process ended.
func (c *child) stop(sig os.Signal) error {
	c.t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		c.t.Fatal(err)
	}
	select {
	case err := <-c.waited:
		return err
	case <-time.After(30 * time.Second):
		c.t.Fatalf("vmfleet did not end within 30s of %v", sig)
		return nil
	}
}

func (c *child) status() fleet.Status {
	c.t.Helper()
	var st fleet.Status
	resp, err := http.Get(c.url + "/status.json")
	if err == nil {
		defer resp.Body.Close()
		err = json.NewDecoder(resp.Body).Decode(&st)
	}
	if err != nil {
		c.t.Fatal(err)
	}
	return st
}

func (c *child) scale(n string) {
	c.t.Helper()
	resp, err := http.Post(c.url+"/scale?size="+n, "", nil)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("scale: %s", resp.Status)
	}
}

// logWriter keeps a child's log and finds its status page's URL in it.
type logWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	url  chan string
	sent bool
}

var statusLine = regexp.MustCompile(`msg="vmfleet: status page" url=(\S+)`)

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := statusLine.FindSubmatch(w.buf.Bytes()); m != nil && !w.sent {
		w.url <- string(m[1])
		w.sent = true
	}
	return len(p), nil
}

func (w *logWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// poll calls cond until it is true, for up to 30s.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %s", what)
		}
	}
}

// readCheckpoint loads a copy of the checkpoint at path, so that the Load
// does not disturb the writer (Load removes the temporary files of saves in
// progress).
func readCheckpoint(t *testing.T, path string) (fleet.State, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return fleet.State{}, err
	}
	cp := filepath.Join(t.TempDir(), "copy.ckpt")
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return (&checkpoint.Store[fleet.State]{Path: cp}).Load(context.Background())
}

func vmIDs(vms map[string]fleet.VM) map[string]string {
	ids := make(map[string]string)
	for name, vm := range vms {
		ids[name] = vm.ID
	}
	return ids
}

func sameIDs(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRestartRestoresState kills vmfleet with SIGKILL while its create
// breaker is open, starts it again, and finds its table of VMs and its breaker
// restored from the checkpoint: the API is healthy again by then, yet the
// restarted process sends it no create until the restored breaker's remaining
// open time has passed, and then creates only the one missing VM.
func TestRestartRestoresState(t *testing.T) {
	cloud := fakecloud.New()
	cloud.BootTime = 100 * time.Millisecond
	srv := httptest.NewServer(cloud)
	defer srv.Close()
	defer http.DefaultClient.CloseIdleConnections()
	state := filepath.Join(t.TempDir(), "fleet.ckpt")
	args := []string{"-cloud", srv.URL, "-state", state, "-listen", "127.0.0.1:0", "-name", "rs",
		"-size", "3", "-interval", "50ms", "-breaker-timeout", "5s"}

	first := startChild(t, args...)
	poll(t, "3 running VMs", func() bool {
		st := first.status()
		return len(st.VMs) == 3 && st.VMs[2].State == "running"
	})
	cloud.SetFaults(fakecloud.Faults{Down: []string{"create"}})
	first.scale("4")
	poll(t, "a checkpoint with the create breaker open", func() bool {
		st, err := readCheckpoint(t, state)
		return err == nil && st.Size == 4 && len(st.VMs) == 3 && st.Breakers["create"].State == breaker.StateOpen
	})
	if err := first.stop(syscall.SIGKILL); err == nil {
		t.Fatal("vmfleet survived SIGKILL")
	}
	saved, err := readCheckpoint(t, state)
	if err != nil {
		t.Fatal(err)
	}
	openFor := saved.Breakers["create"].OpenFor
	cloud.SetFaults(fakecloud.Faults{}) // only the restored breaker keeps creates away now
	creates := cloud.Stats().Requests["create"]

	second := startChild(t, args...)
	st := second.status()
	if r := st.Restored; r == nil || r.Size != 4 || r.VMs != 3 || r.Breakers["create"] != "open" {
		t.Fatalf("restored %+v, want size 4, 3 VMs, create breaker open", r)
	}
	got := make(map[string]fleet.VM)
	for _, vm := range st.VMs {
		got[vm.Name] = vm
	}
	if !sameIDs(vmIDs(got), vmIDs(saved.VMs)) {
		t.Fatalf("restarted with VMs %v, checkpoint has %v", vmIDs(got), vmIDs(saved.VMs))
	}
	if b := st.Breakers["create"]; b.State != breaker.StateOpen || b.OpenFor <= 0 || b.OpenFor > openFor {
		t.Fatalf("create breaker after restart: %v for %v, want open for at most the checkpoint's %v", b.State, b.OpenFor, openFor)
	}

	refused := false
	poll(t, "4 VMs", func() bool {
		n := cloud.Stats().Requests["create"] // before the status, so that a create is never blamed on a later state
		st := second.status()
		if b := st.Breakers["create"]; b.State == breaker.StateOpen {
			if n != creates {
				t.Fatalf("the cloud saw %d creates while the restored breaker was open for %v", n-creates, b.OpenFor)
			}
			refused = refused || st.Calls["create"].Refused > 0
		}
		return len(st.VMs) == 4
	})
	if !refused {
		t.Error("the reconciler never tried to create while the breaker was open: the test proved nothing")
	}
	var names []string
	for _, vm := range cloud.VMs() {
		names = append(names, vm.Name)
	}
	if strings.Join(names, " ") != "rs-000 rs-001 rs-002 rs-003" {
		t.Errorf("the cloud has %v, want each of rs-000..rs-003 once", names)
	}
	if err := second.stop(syscall.SIGTERM); err != nil {
		t.Errorf("after SIGTERM: %v", err)
	}
}

// TestSIGTERMJoinsEveryTask stops vmfleet with SIGTERM: it exits 0, having
// joined every task, and its last checkpoint, saved during task.Shutdown,
// holds a change made just before the signal, long before any periodic save.
func TestSIGTERMJoinsEveryTask(t *testing.T) {
	cloud := fakecloud.New()
	srv := httptest.NewServer(cloud)
	defer srv.Close()
	defer http.DefaultClient.CloseIdleConnections()
	state := filepath.Join(t.TempDir(), "fleet.ckpt")
	c := startChild(t, "-cloud", srv.URL, "-state", state, "-listen", "127.0.0.1:0", "-name", "term",
		"-size", "2", "-interval", "1h")
	poll(t, "2 VMs", func() bool { return len(c.status().VMs) == 2 })
	c.scale("3")
	poll(t, "3 VMs", func() bool { return len(c.status().VMs) == 3 })
	if _, err := os.Stat(state); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a checkpoint before the first interval: %v", err)
	}

	if err := c.stop(syscall.SIGTERM); err != nil {
		t.Fatalf("after SIGTERM: %v", err)
	}
	log := c.log.String()
	if !strings.Contains(log, "vmfleet: stopped, every task joined") || strings.Contains(log, "still running") {
		t.Errorf("log does not say every task joined:\n%s", log)
	}
	st, err := readCheckpoint(t, state)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size != 3 || len(st.VMs) != 3 {
		t.Errorf("last checkpoint: size %d, %d VMs; want 3 and 3", st.Size, len(st.VMs))
	}
}
