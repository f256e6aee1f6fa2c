//go:build go1.25

//go:debug asynctimerchan=0

package fleet_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/examples/vmfleet/fakecloud"
	"github.com/resilvet/resilvet/examples/vmfleet/fleet"
	"github.com/resilvet/resilvet/runtime/checkpoint"
	"github.com/resilvet/resilvet/runtime/task"
)

// inProcess serves requests with a handler on the calling goroutine, with no
// sockets, so that a synctest bubble holds the manager and the cloud alike.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	if err := r.Context().Err(); err != nil {
		return nil, err // the caller gave up while the server was slow
	}
	return rec.Result(), nil
}

// harness is a manager and its fake cloud, in a synctest bubble.
type harness struct {
	t     *testing.T
	cloud *fakecloud.Server
	tasks *task.Group
	cfg   fleet.Config
	m     *fleet.Manager
}

func newHarness(t *testing.T, size int) *harness {
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := &harness{t: t, cloud: fakecloud.New(), tasks: &task.Group{Logger: logger}}
	h.cloud.BootTime = time.Second
	h.cfg = fleet.Config{
		Name:      uniqueName(t),
		CloudURL:  "http://cloud.test",
		StatePath: filepath.Join(t.TempDir(), "fleet.ckpt"),
		Size:      size,
		Interval:  100 * time.Millisecond,
		HTTP:      &http.Client{Transport: inProcess{h.cloud}, Timeout: 5 * time.Second},
		Tasks:     h.tasks,
		Logger:    logger,
	}
	return h
}

func (h *harness) start() {
	h.t.Helper()
	m, err := fleet.Start(context.Background(), h.cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	h.m = m
	h.t.Cleanup(func() { // a failed test still ends its tasks, so that the bubble can end
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = h.tasks.Shutdown(ctx)
	})
}

func (h *harness) shutdown() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.tasks.Shutdown(ctx); err != nil {
		h.t.Fatal(err)
	}
}

// cloudNames returns the names of the cloud's VMs, in creation order.
func (h *harness) cloudNames() []string {
	var names []string
	for _, vm := range h.cloud.VMs() {
		names = append(names, vm.Name)
	}
	return names
}

func ids(vms []fleet.VM) map[string]string {
	m := make(map[string]string)
	for _, vm := range vms {
		m[vm.Name] = vm.ID
	}
	return m
}

func TestFleetKeepsItsSize(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, 3)
		h.start()
		time.Sleep(2 * time.Second)
		st := h.m.Status()
		if len(st.VMs) != 3 || st.VMs[2].State != "running" {
			t.Fatalf("after 2s: VMs %+v, want 3 running", st.VMs)
		}
		n := h.cfg.Name
		if got := strings.Join(h.cloudNames(), " "); got != n+"-000 "+n+"-001 "+n+"-002" {
			t.Fatalf("cloud has %s", got)
		}

		h.m.Scale(1)
		time.Sleep(time.Second)
		if got := h.cloudNames(); len(got) != 1 || got[0] != n+"-000" {
			t.Fatalf("after Scale(1) the cloud has %v", got)
		}

		lost := h.cloud.VMs()[0].ID
		rec := httptest.NewRecorder()
		h.cloud.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/admin/vms/"+lost, nil))
		if rec.Code != http.StatusNoContent {
			t.Fatalf("losing %s: %d", lost, rec.Code)
		}
		time.Sleep(time.Second)
		vms := h.cloud.VMs()
		if len(vms) != 1 || vms[0].ID == lost || ids(h.m.Status().VMs)[n+"-000"] != vms[0].ID {
			t.Fatalf("after losing %s: cloud %+v, manager %+v", lost, vms, h.m.Status().VMs)
		}
		h.shutdown()

		// The last checkpoint, saved at Shutdown, holds the final table.
		st2, err := (&checkpoint.Store[fleet.State]{Path: h.cfg.StatePath}).Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st2.Size != 1 || len(st2.VMs) != 1 || st2.VMs[n+"-000"].ID != vms[0].ID {
			t.Fatalf("checkpoint %+v, want size 1 and VM %s", st2, vms[0].ID)
		}
	})
}

// TestWaitsForTheCloudThenAdopts starts a manager while the API is down: it
// serves its status without an API client (the singleton retries), then does
// not create anything until it has listed the cloud's VMs (the coord flag),
// and then adopts the VM a crashed predecessor created but never checkpointed
// instead of creating a second one.
func TestWaitsForTheCloudThenAdopts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, 2)
		// A predecessor's VM, and one that is not this fleet's.
		c, err := fleet.Dial(context.Background(), fleet.ClientConfig{URL: h.cfg.CloudURL, Name: h.cfg.Name + "-old", HTTP: h.cfg.HTTP, Tasks: h.tasks})
		if err != nil {
			t.Fatal(err)
		}
		adoptee, err1 := c.Create(context.Background(), h.cfg.Name+"-001")
		_, err2 := c.Create(context.Background(), "someone-else")
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}

		h.cloud.SetFaults(fakecloud.Faults{Down: []string{"token", "list"}})
		h.start()
		time.Sleep(3 * time.Second)
		if st := h.m.Status(); st.Client != "connecting" || st.SyncingSince == nil || len(st.VMs) != 0 {
			t.Fatalf("token endpoint down: status %+v, want connecting, syncing, no VMs", st)
		}

		h.cloud.SetFaults(fakecloud.Faults{Down: []string{"list"}})
		time.Sleep(3 * time.Second)
		st := h.m.Status()
		if st.Client != "connected" || st.SyncingSince == nil || len(h.cloud.VMs()) != 2 {
			t.Fatalf("list endpoint down: status %+v, cloud %v; want connected, syncing, nothing created", st, h.cloudNames())
		}

		h.cloud.SetFaults(fakecloud.Faults{})
		time.Sleep(31 * time.Second) // the list breaker has opened, for 30s
		st = h.m.Status()
		if st.SyncingSince != nil || len(st.VMs) != 2 || ids(st.VMs)[h.cfg.Name+"-001"] != adoptee.ID || st.Unmanaged != 1 {
			t.Fatalf("cloud up: status %+v; want synced, 2 VMs, %s adopted, 1 unmanaged", st, adoptee.ID)
		}
		if n := len(h.cloud.VMs()); n != 3 {
			t.Fatalf("cloud has %v, want the adoptee, someone else's and one new", h.cloudNames())
		}
		h.shutdown()
	})
}

// stuck is a Notifier that ignores its context until released.
type stuck struct {
	called  chan struct{}
	release chan struct{}
}

func (s *stuck) Notify(context.Context, fleet.Event) error {
	select {
	case s.called <- struct{}{}:
	default:
	}
	<-s.release
	return nil
}

func TestShutdownNamesTheStraggler(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, 1)
		n := &stuck{called: make(chan struct{}, 1), release: make(chan struct{})}
		h.cfg.Notifier = n
		h.start()
		<-n.called // the first event has reached the notifier, which never returns

		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		err := h.tasks.Shutdown(ctx)
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown = %v, want the notifier named, and the deadline", err)
		}
		msg := err.Error()
		for _, loop := range []string{"watcher", "reconciler", "checkpoint"} {
			if strings.Contains(msg, loop) {
				t.Errorf("Shutdown names the %s, which stops in time: %v", loop, err)
			}
		}
		if !strings.Contains(msg, h.cfg.Name+".notifier") {
			t.Errorf("Shutdown does not name the notifier: %v", err)
		}
		t.Log(err)

		close(n.release)
		h.shutdown() // now every task joins
	})
}

func TestCheckpointErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, 0)
		if err := os.WriteFile(h.cfg.StatePath, []byte("resilvet-checkpoint/1 v=1 len=9 crc32c=00000000\n{\"size\":"), 0o600); err != nil {
			t.Fatal(err)
		}
		h.start() // a corrupt checkpoint is moved aside and the fleet starts empty
		if st := h.m.Status(); st.Restored != nil {
			t.Errorf("restored %+v from a corrupt checkpoint", st.Restored)
		}
		h.shutdown()
		if moved, _ := filepath.Glob(h.cfg.StatePath + ".corrupt-*"); len(moved) != 1 {
			t.Errorf("corrupt checkpoint moved to %v, want one file", moved)
		}

		newer := &checkpoint.Store[fleet.State]{Path: h.cfg.StatePath, Version: 2}
		if err := newer.Save(context.Background(), fleet.State{Size: 7}); err != nil {
			t.Fatal(err)
		}
		h.cfg.Name += "-newer"
		var verr *checkpoint.VersionError
		if _, err := fleet.Start(context.Background(), h.cfg); !errors.As(err, &verr) {
			t.Fatalf("Start on a newer checkpoint = %v, want a *checkpoint.VersionError", err)
		}
	})
}
