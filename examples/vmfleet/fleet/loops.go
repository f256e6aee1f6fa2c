package fleet

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/cancel"
)

func (m *Manager) name(i int) string { return fmt.Sprintf("%s-%03d", m.cfg.Name, i) }

// slot returns the index of a VM name of this fleet.
func (m *Manager) slot(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, m.cfg.Name+"-")
	i, err := strconv.Atoi(s)
	return i, ok && err == nil && i >= 0
}

// watch lists the API's VMs every Interval and brings the table up to date.
func (m *Manager) watch(ctx context.Context, synced func()) error {
	defer synced()
	tick := time.NewTicker(m.cfg.Interval)
	defer tick.Stop()
	for {
		switch err := m.sync(ctx); {
		case err == nil:
			synced()
		case cancel.Of(ctx, err):
			return cancel.Err(ctx)
		default:
			m.log.Warn("vmfleet: listing VMs failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return cancel.Err(ctx)
		case <-tick.C:
		}
	}
}

func (m *Manager) sync(ctx context.Context) error {
	c, err := m.client.Get(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	vms, err := c.List(ctx)
	if err != nil {
		return err
	}
	inCloud := make(map[string]VM, len(vms))
	for _, vm := range vms {
		inCloud[vm.ID] = vm
	}
	var events []Event
	m.mu.Lock()
	for name, vm := range m.vms {
		cvm, ok := inCloud[vm.ID]
		delete(inCloud, vm.ID)
		switch {
		case ok:
			if cvm.State != vm.State {
				m.changes.Add(1)
			}
			vm.State, vm.Seen = cvm.State, started
			m.vms[name] = vm
		case vm.Seen.Before(started): // not a VM created while the list was on its way
			delete(m.vms, name)
			m.changes.Add(1)
			events = append(events, Event{What: "lost", VM: name, ID: vm.ID})
		}
	}
	m.unmanaged = 0
	for _, vm := range inCloud {
		if i, ok := m.slot(vm.Name); ok && i < m.size && m.vms[vm.Name].ID == "" {
			vm.Seen = started
			m.vms[vm.Name] = vm
			m.changes.Add(1)
			events = append(events, Event{What: "adopted", VM: vm.Name, ID: vm.ID})
		} else {
			m.unmanaged++
		}
	}
	m.mu.Unlock()
	for _, e := range events {
		m.log.Info("vmfleet: "+e.What, "vm", e.VM, "id", e.ID)
		m.notify(e)
	}
	if len(events) > 0 {
		m.kick()
	}
	return nil
}

// reconcile creates and deletes VMs until the fleet has its size, every
// Interval and whenever something changed, once the watcher has synced.
func (m *Manager) reconcile(ctx context.Context) error {
	if m.syncing.Wait(ctx) != nil {
		return cancel.Err(ctx)
	}
	tick := time.NewTicker(m.cfg.Interval)
	defer tick.Stop()
	for {
		if err := m.converge(ctx); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return cancel.Err(ctx)
		case <-tick.C:
		case <-m.wake:
		}
	}
}

// converge makes one pass towards the fleet's size. Failures are logged and
// left to the next pass; it returns an error only when ctx has ended.
func (m *Manager) converge(ctx context.Context) error {
	c, err := m.client.Get(ctx)
	if err != nil {
		if cancel.Of(ctx, err) {
			return cancel.Err(ctx)
		}
		m.log.Warn("vmfleet: no API client yet", "err", err)
		return nil
	}
	create, remove := m.plan()
	for _, name := range create {
		vm, err := c.Create(ctx, name)
		if err != nil {
			if cancel.Of(ctx, err) {
				return cancel.Err(ctx) // shutting down: not a failure to report
			}
			if errors.Is(err, breaker.ErrOpen) {
				m.log.Debug("vmfleet: create refused", "vm", name, "err", err)
				break // the other creates would be refused too
			}
			m.log.Warn("vmfleet: create failed", "vm", name, "err", err)
			continue
		}
		m.record(vm, "created")
	}
	for _, vm := range remove {
		if err := c.Delete(ctx, vm.ID); err != nil {
			if cancel.Of(ctx, err) {
				return cancel.Err(ctx)
			}
			m.log.Warn("vmfleet: delete failed", "vm", vm.Name, "err", err)
			continue
		}
		m.record(vm, "deleted")
	}
	return nil
}

// plan returns the names to create and the VMs to delete.
func (m *Manager) plan() (create []string, remove []VM) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.size {
		if _, ok := m.vms[m.name(i)]; !ok {
			create = append(create, m.name(i))
		}
	}
	for _, vm := range m.vms {
		if i, ok := m.slot(vm.Name); !ok || i >= m.size {
			remove = append(remove, vm)
		}
	}
	return create, remove
}

func (m *Manager) record(vm VM, what string) {
	m.mu.Lock()
	if what == "deleted" {
		delete(m.vms, vm.Name)
	} else {
		vm.Seen = time.Now()
		m.vms[vm.Name] = vm
	}
	m.mu.Unlock()
	m.changes.Add(1)
	m.log.Info("vmfleet: "+what, "vm", vm.Name, "id", vm.ID)
	m.notify(Event{What: what, VM: vm.Name, ID: vm.ID})
}
