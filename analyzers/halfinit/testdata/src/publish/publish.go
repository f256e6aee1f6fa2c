//go:build go1.22

package publish

import (
	"sync"
	"sync/atomic"
)

type Cache struct {
	m     map[string]string
	ready bool
}

func (c *Cache) load() error {
	c.m = map[string]string{"a": "b"}
	c.ready = true
	return nil
}

var mu sync.Mutex

// Double-checked locking whose first read is plain: the read races with
// the write, and a caller can get the cache before load has run.
var cache *Cache

func Get() *Cache {
	if cache == nil { // want `cache is read outside the lock that guards its initialisation: the read races with the write and can see a half-made value; use sync.OnceValue`
		mu.Lock()
		defer mu.Unlock()
		if cache == nil {
			cache = &Cache{}
			cache.load()
		}
	}
	return cache
}

// The same with an early return for the fast path; the getter can fail,
// so singleton.Lazy is the advice.
var fast *Cache

func Fast() (*Cache, error) {
	if fast != nil { // want `fast is read outside the lock that guards its initialisation: .*; use singleton.Lazy`
		return fast, nil
	}
	mu.Lock()
	defer mu.Unlock()
	if fast == nil {
		c := &Cache{}
		if err := c.load(); err != nil {
			return nil, err
		}
		fast = c
	}
	return fast, nil
}

// Published before a step that can fail: under the lock, yet a failed
// load leaves the half-made value for every later caller.
var half *Cache

func Half() (*Cache, error) {
	mu.Lock()
	defer mu.Unlock()
	if half == nil {
		half = &Cache{} // want `half is published before its initialisation finishes: if half.load fails, every later caller gets the half-made value`
		if err := half.load(); err != nil {
			return nil, err
		}
	}
	return half, nil
}

// Silent: everything under the lock, and the load cannot leave it half
// made.
var whole *Cache

func Whole() *Cache {
	mu.Lock()
	defer mu.Unlock()
	if whole == nil {
		whole = &Cache{}
		whole.load()
	}
	return whole
}

// Silent: double-checked locking whose first read is atomic.
var (
	done  atomic.Bool
	guard *Cache
)

func Guarded() *Cache {
	if done.Load() {
		return guard
	}
	mu.Lock()
	defer mu.Unlock()
	if guard == nil {
		c := &Cache{}
		c.load()
		guard = c
		done.Store(true)
	}
	return guard
}

// Silent: made in full before it is published.
var built *Cache

func Built() (*Cache, error) {
	mu.Lock()
	defer mu.Unlock()
	if built == nil {
		c := &Cache{}
		if err := c.load(); err != nil {
			return nil, err
		}
		built = c
	}
	return built, nil
}
