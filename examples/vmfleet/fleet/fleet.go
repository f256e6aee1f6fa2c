// Package fleet is vmfleet's VM manager. It keeps a fleet of VMs, named
// Name-000, Name-001 and so on up to its size, alive through a cloud API, and
// keeps its table of them across its own crashes.
//
// Its loops are tasks (runtime/task): a watcher lists the API's VMs, marking
// the ones the cloud lost and adopting ones the table lacks (a VM created just
// before a crash, after the last checkpoint); a reconciler creates and deletes
// VMs until the fleet has its size; a checkpoint writer (runtime/checkpoint)
// saves the table, the size and the breakers' states; an optional notifier
// task posts events. The reconciler waits for the watcher's first complete
// list (a runtime/coord Flag) so that it never creates a VM the cloud already
// has. The API client is made once, on first use, by a runtime/singleton Lazy,
// so that the manager starts, restores its state and serves its status page
// even while the API is down.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/checkpoint"
	"github.com/resilvet/resilvet/runtime/coord"
	"github.com/resilvet/resilvet/runtime/singleton"
	"github.com/resilvet/resilvet/runtime/task"
)

// Config configures a Manager.
type Config struct {
	// Name names the fleet's VMs and its breakers in runtime/breaker's
	// registry, whose OnStateChange is the first Manager's: run one Manager
	// per Name in a process. Empty means "vmfleet".
	Name      string
	CloudURL  string
	StatePath string // the checkpoint file; its directory must exist
	Size      int    // the fleet's size when no checkpoint says otherwise

	Interval       time.Duration // between rounds of each loop and between checkpoints; zero means 2s
	BreakerTimeout time.Duration // how long an endpoint's breaker stays open; zero means 30s

	HTTP     *http.Client // for the API; nil: the Client's default
	Notifier Notifier     // nil: no notifications
	Tasks    *task.Group  // runs every loop; nil: runtime/task's default group
	Logger   *slog.Logger // nil: slog.Default()
}

// State is what the checkpoint holds.
type State struct {
	Size     int                         `json:"size"`
	VMs      map[string]VM               `json:"vms"`      // by name
	Breakers map[string]breaker.Snapshot `json:"breakers"` // by endpoint
}

// A Manager keeps a fleet. Start one with Start; stop it with the Shutdown
// of its task group.
type Manager struct {
	cfg      Config
	log      *slog.Logger
	breakers map[string]*breaker.Breaker
	client   singleton.Lazy[*Client]
	store    checkpoint.Store[State]
	syncing  coord.Flag // up until the watcher's first complete list
	wake     chan struct{}
	events   chan Event
	restored *Restored

	changes atomic.Uint64 // counts changes worth a checkpoint
	saved   uint64        // changes as of the last snapshot; the checkpoint task's own

	mu        sync.Mutex
	size      int
	vms       map[string]VM
	unmanaged int
	dropped   int
}

// Restored says what a Manager found in its checkpoint at start.
type Restored struct {
	Size     int               `json:"size"`
	VMs      int               `json:"vms"`
	Breakers map[string]string `json:"breakers"` // endpoint → state
}

// Start restores the fleet's state from cfg.StatePath, if it is there, and
// starts the manager's loops. It blocks only to read the checkpoint. A missing
// checkpoint is a first start and a corrupt one (moved aside by
// runtime/checkpoint) is logged and started afresh; a checkpoint of a newer
// format is an error, so that this program does not overwrite it.
func Start(ctx context.Context, cfg Config) (*Manager, error) {
	if cfg.Name == "" {
		cfg.Name = "vmfleet"
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 2 * time.Second
	}
	if cfg.BreakerTimeout <= 0 {
		cfg.BreakerTimeout = 30 * time.Second
	}
	m := &Manager{cfg: cfg, log: cfg.Logger, size: cfg.Size, vms: make(map[string]VM),
		wake: make(chan struct{}, 1), events: make(chan Event, 64)}
	if m.log == nil {
		m.log = slog.Default()
	}
	m.syncing.Name = cfg.Name + ".syncing"
	settings := breaker.Settings{Timeout: cfg.BreakerTimeout, OnStateChange: m.breakerChanged}
	var err error
	if m.breakers, err = endpointBreakers(cfg.Name, settings); err != nil {
		return nil, err
	}
	m.client.Name, m.client.Tasks, m.client.Timeout = cfg.Name+".dial", cfg.Tasks, 10*time.Second
	m.client.New = func(ctx context.Context) (*Client, error) {
		return Dial(ctx, ClientConfig{URL: cfg.CloudURL, Name: cfg.Name, Breaker: settings,
			Policy: RetryPolicy(), HTTP: cfg.HTTP, Tasks: cfg.Tasks})
	}
	m.store.Path, m.store.Tasks, m.store.Logger = cfg.StatePath, cfg.Tasks, m.log
	if err := m.restore(ctx); err != nil {
		return nil, err
	}

	synced := m.syncing.Raise() // before the reconciler starts, so that it waits
	m.spawn(ctx, cfg.Name+".watcher", func(ctx context.Context) error { return m.watch(ctx, synced) })
	m.spawn(ctx, cfg.Name+".reconciler", m.reconcile)
	if cfg.Notifier != nil {
		m.spawn(ctx, cfg.Name+".notifier", m.deliver)
	}
	// Without ctx's cancellation, so that the checkpoint writer, like the
	// loops, ends at the task group's Shutdown and saves a last time then.
	err = m.store.Every(context.WithoutCancel(ctx), cfg.Interval, cfg.Interval/2, m.snapshot)
	return m, err
}

// spawn starts a loop in the manager's task group.
func (m *Manager) spawn(ctx context.Context, name string, fn func(context.Context) error) {
	if m.cfg.Tasks == nil {
		task.Go(ctx, name, fn) // the default group has no *task.Group to call Go on
		return
	}
	m.cfg.Tasks.Go(name, fn)
}

func (m *Manager) restore(ctx context.Context) error {
	st, err := m.store.Load(ctx)
	var corrupt *checkpoint.CorruptError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		m.log.Info("vmfleet: no checkpoint, first start", "path", m.cfg.StatePath)
		return nil
	case errors.As(err, &corrupt):
		m.log.Error("vmfleet: checkpoint corrupt, starting empty", "moved_to", corrupt.MovedTo, "err", err)
		return nil
	case err != nil:
		return err
	}
	m.size, m.restored = st.Size, &Restored{Size: st.Size, VMs: len(st.VMs), Breakers: make(map[string]string)}
	if st.VMs != nil {
		m.vms = st.VMs
	}
	for ep, snap := range st.Breakers {
		if b := m.breakers[ep]; b != nil {
			if err := b.Restore(snap); err != nil {
				m.log.Warn("vmfleet: breaker not restored", "breaker", b.Name(), "err", err)
			}
			m.restored.Breakers[ep] = b.State().String()
		}
	}
	m.log.Info("vmfleet: restored from checkpoint", "size", st.Size, "vms", len(st.VMs), "breakers", m.restored.Breakers)
	return nil
}

// snapshot is the checkpoint writer's view of the state.
func (m *Manager) snapshot() (State, bool) {
	changes := m.changes.Load()
	m.mu.Lock()
	st := State{Size: m.size, VMs: maps.Clone(m.vms), Breakers: make(map[string]breaker.Snapshot)}
	m.mu.Unlock()
	// Not under m.mu: Snapshot may deliver a state change to breakerChanged.
	for ep, b := range m.breakers {
		st.Breakers[ep] = b.Snapshot()
	}
	changed := changes != m.saved
	m.saved = changes
	return st, changed
}

func (m *Manager) breakerChanged(name string, from, to breaker.State) {
	m.changes.Add(1)
	if to == breaker.StateOpen {
		m.log.Warn("vmfleet: breaker opened", "breaker", name, "from", from)
	} else {
		m.log.Info("vmfleet: breaker changed", "breaker", name, "from", from, "to", to)
	}
	m.notify(Event{What: "breaker", Detail: fmt.Sprintf("%s: %v → %v", name, from, to)})
}

// Scale sets the fleet's size. It does not block.
func (m *Manager) Scale(n int) {
	m.mu.Lock()
	m.size = n
	m.mu.Unlock()
	m.changes.Add(1)
	m.kick()
}

func (m *Manager) kick() {
	select {
	case m.wake <- struct{}{}:
	default: // a round is already due
	}
}
