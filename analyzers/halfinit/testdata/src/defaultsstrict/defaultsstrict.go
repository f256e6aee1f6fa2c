package defaultsstrict

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

// The strict profile switches every rule on.
func Client() *Cache {
	if client == nil { // want `lazy initialisation of client is not synchronised`
		client = &Cache{}
	}
	return client
}

func Conn() (net.Conn, error) {
	connOnce.Do(func() {
		conn, connErr = net.Dial("tcp", "db:5432") // want `sync.Once keeps the error of net.Dial for ever`
	})
	return conn, connErr
}

func Get() *Cache {
	if cache == nil { // want `cache is read outside the lock that guards its initialisation`
		mu.Lock()
		defer mu.Unlock()
		if cache == nil {
			cache = &Cache{}
			cache.load()
		}
	}
	return cache
}
