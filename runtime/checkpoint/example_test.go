package checkpoint_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/resilvet/resilvet/runtime/checkpoint"
	"github.com/resilvet/resilvet/runtime/task"
)

// VMs is a VM manager's table of managed VMs, by ID.
type VMs map[string]string

func ExampleStore() {
	dir, err := os.MkdirTemp("", "vmm")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store := &checkpoint.Store[VMs]{Path: filepath.Join(dir, "vms.ckpt")}

	vms, err := store.Load(ctx)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Println("first start: no checkpoint")
		vms = VMs{}
	case err != nil:
		log.Fatal(err) // corrupt (moved aside) or written by a newer program
	}
	vms["vm-1"] = "running"
	if err := store.Save(ctx, vms); err != nil {
		log.Fatal(err)
	}

	// After a crash, the next process finds the table.
	vms, err = store.Load(ctx)
	fmt.Println(vms, err)
	// Output:
	// first start: no checkpoint
	// map[vm-1:running] <nil>
}

func ExampleCorruptError() {
	dir, err := os.MkdirTemp("", "vmm")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vms.ckpt")
	// What the post-mortem's plain write could leave after a crash.
	if err := os.WriteFile(path, []byte(`{"vm-1":"runn`), 0o600); err != nil {
		log.Fatal(err)
	}

	store := &checkpoint.Store[VMs]{Path: path}
	_, err = store.Load(context.Background())
	var corrupt *checkpoint.CorruptError
	if errors.As(err, &corrupt) {
		fmt.Println("corrupt:", corrupt.Err)
		fmt.Println("moved aside:", strings.HasPrefix(corrupt.MovedTo, path+".corrupt-"))
	}
	// Output:
	// corrupt: no checkpoint header
	// moved aside: true
}

// manager is the state under checkpoint, with a version counter so that
// snapshot can say whether anything changed.
type manager struct {
	mu      sync.Mutex
	vms     VMs
	version int // bumped by every change
	saved   int // the version snapshot last returned
}

func (m *manager) set(id, state string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.vms[id] = state
	m.version++
}

// snapshot returns a copy of the table, which Every encodes after the lock
// is released, and whether it changed since the last call.
func (m *manager) snapshot() (VMs, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version == m.saved {
		return nil, false
	}
	m.saved = m.version
	c := make(VMs, len(m.vms))
	for id, s := range m.vms {
		c[id] = s
	}
	return c, true
}

func ExampleStore_Every() {
	dir, err := os.MkdirTemp("", "vmm")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tasks := new(task.Group) // in a service, often nil: the default group
	store := &checkpoint.Store[VMs]{Path: filepath.Join(dir, "vms.ckpt"), Tasks: tasks}

	m := &manager{vms: VMs{}}
	// Save every 10s, spread over 5s more so that a fleet does not save
	// in lockstep.
	if err := store.Every(context.Background(), 10*time.Second, 5*time.Second, m.snapshot); err != nil {
		log.Fatal(err)
	}
	m.set("vm-1", "running")
	m.set("vm-2", "starting")

	// Shutdown makes Every save what changed since its last tick, and
	// waits for that save.
	if err := tasks.Shutdown(context.Background()); err != nil {
		log.Fatal(err)
	}
	vms, err := store.Load(context.Background())
	fmt.Println(vms, err)
	// Output:
	// map[vm-1:running vm-2:starting] <nil>
}
