// Package singletons holds the post-mortem's half-initialised singletons
// (5–8 of them, made by an AsyncSingletonMeta metaclass): made without a
// lock, published before they were ready, or stuck after a failed
// initialisation.
package singletons

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
)

// Registry is the service registry every handler asks for.
type Registry struct{ services map[string]string }

func newRegistry() *Registry { return &Registry{services: map[string]string{}} }

var registry *Registry

// DefaultRegistry is made without a lock: two handlers each see nil and
// each make one, and one's registrations are lost.
func DefaultRegistry() *Registry {
	if registry == nil {
		registry = newRegistry()
	}
	return registry
}

// Pool is the VM API's connection pool.
type Pool struct{ conns []net.Conn }

func dialPool(ctx context.Context) (*Pool, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", "vm-api:443")
	if err != nil {
		return nil, err
	}
	return &Pool{conns: []net.Conn{c}}, nil
}

var pool *Pool

// VMPool dials lazily without a lock, and can fail.
func VMPool(ctx context.Context) (*Pool, error) {
	if pool == nil {
		p, err := dialPool(ctx)
		if err != nil {
			return nil, err
		}
		pool = p
	}
	return pool, nil
}

var (
	apiOnce sync.Once
	api     *Pool
	apiErr  error
)

// API is stuck after a failed start-up: the Once keeps the first dial's
// error for ever.
func API(ctx context.Context) (*Pool, error) {
	apiOnce.Do(func() {
		api, apiErr = dialPool(ctx)
	})
	return api, apiErr
}

// quotas are fetched once; a VM API that was down at start-up leaves them
// failing until a restart.
var quotas = sync.OnceValues(func() (map[string]int, error) {
	resp, err := http.Get("http://vm-api/quotas")
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return map[string]int{}, nil
})

func Quota(name string) (int, error) {
	q, err := quotas()
	return q[name], err
}

// Manager is the VM manager, loaded from the API.
type Manager struct {
	vms   map[string]string
	ready bool
}

func (m *Manager) load(ctx context.Context) error {
	if ctx.Err() != nil {
		return errors.New("no API")
	}
	m.vms, m.ready = map[string]string{}, true
	return nil
}

var (
	mu      sync.Mutex
	manager *Manager
)

// Managers publishes the manager before it is loaded: when load fails,
// every later caller gets the empty manager.
func Managers(ctx context.Context) (*Manager, error) {
	mu.Lock()
	defer mu.Unlock()
	if manager == nil {
		manager = &Manager{}
		if err := manager.load(ctx); err != nil {
			return nil, err
		}
	}
	return manager, nil
}

var scheduler *Manager

// Scheduler checks without the lock first: the check races with the write
// and sees a manager whose load has not finished.
func Scheduler(ctx context.Context) *Manager {
	if scheduler == nil { // the fast path, without the lock
		mu.Lock()
		defer mu.Unlock()
		if scheduler == nil {
			scheduler = &Manager{}
			scheduler.load(ctx)
		}
	}
	return scheduler
}

// The fixed forms. Silent: made under a lock, in full before publication.
var inventory *Manager

func Inventory(ctx context.Context) (*Manager, error) {
	mu.Lock()
	defer mu.Unlock()
	if inventory == nil {
		m := &Manager{}
		if err := m.load(ctx); err != nil {
			return nil, err
		}
		inventory = m
	}
	return inventory, nil
}

// Silent: sync.OnceValue of a constructor that cannot fail.
var catalog = sync.OnceValue(func() *Registry { return newRegistry() })

func Catalog() *Registry { return catalog() }
