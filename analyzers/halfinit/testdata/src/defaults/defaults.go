package defaults

import (
	"net"
	"sync"
)

type Cache struct{ m map[string]string }

func (c *Cache) load() {}

var (
	client *Cache
	cache  *Cache
	mu     sync.Mutex

	connOnce sync.Once
	conn     net.Conn
	connErr  error
)

// Every rule is off by default (docs/precision.md): with the default
// switches, none of these is reported.
func Client() *Cache {
	if client == nil { // racy-lazy
		client = &Cache{}
	}
	return client
}

func Conn() (net.Conn, error) {
	connOnce.Do(func() {
		conn, connErr = net.Dial("tcp", "db:5432") // once-error
	})
	return conn, connErr
}

func Get() *Cache {
	if cache == nil { // early-publish
		mu.Lock()
		defer mu.Unlock()
		if cache == nil {
			cache = &Cache{}
			cache.load()
		}
	}
	return cache
}
