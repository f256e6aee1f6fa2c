// Package tasks holds the post-mortem's fire-and-forget tasks: work handed
// to goroutines that nothing waits for, whose errors and panics are lost.
package tasks

import (
	"context"
	"log"
	"net/http"
	"sync"
	"time"
)

// Store is where the cache persists entries.
type Store interface {
	Put(key string, value []byte) error
}

// Cache writes through to its store in the background.
type Cache struct {
	m     sync.Map
	store Store
}

// Set persists in a goroutine that shutdown does not wait for: the write
// may be cut off half-way.
func (c *Cache) Set(key string, value []byte) {
	c.m.Store(key, value)
	go c.persist(key, value)
}

func (c *Cache) persist(key string, value []byte) {
	if err := c.store.Put(key, value); err != nil {
		log.Printf("cache: persisting %s: %v", key, err)
	}
}

// Evict drops the store's error on the floor.
func (c *Cache) Evict(key string) {
	c.m.Delete(key)
	go c.store.Put(key, nil)
}

// SafeGo is the post-mortem's safe_create_task: it "protects" the caller
// by starting fn on a goroutine, which nothing tracks.
func SafeGo(fn func()) {
	go fn()
}

// Warm uses the launcher: the goroutine it starts is as untracked as a
// bare go statement.
func (c *Cache) Warm(keys []string) {
	SafeGo(func() {
		for _, k := range keys {
			c.m.Load(k)
		}
	})
}

// Audit records a request in the background; nothing waits for it.
func Audit(w http.ResponseWriter, r *http.Request) {
	go func() {
		log.Printf("audit: %s %s", r.Method, r.URL.Path)
	}()
	w.WriteHeader(http.StatusNoContent)
}

// Watcher polls until its context ends, but Start does not wait for it to
// finish, so it can outlive the shutdown that cancelled it.
type Watcher struct {
	tick time.Duration
}

// Start starts the watch loop.
func (w *Watcher) Start(ctx context.Context) {
	go w.watch(ctx)
}

func (w *Watcher) watch(ctx context.Context) {
	t := time.NewTicker(w.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Fanout waits for its goroutines, but a panic in any of them crashes the
// process.
func Fanout(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(it)
		}()
	}
	wg.Wait()
}

// FanoutSafe is Fanout fixed: waited for, and a panic is logged.
func FanoutSafe(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // silent: waited for, and recovers
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					log.Printf("fanout: %s: panic: %v", it, r)
				}
			}()
			handle(it)
		}()
	}
	wg.Wait()
}
