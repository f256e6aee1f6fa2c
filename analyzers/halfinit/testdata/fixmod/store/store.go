// Package store holds the post-mortem's singletons: a cache made without
// a lock, a connection whose lazy dial can fail, and a Once that keeps
// the first failure of its dial.
package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

type Cache struct{ entries map[string]string }

func newCache() *Cache { return &Cache{entries: map[string]string{}} }

var cache *Cache

// Default is racy: concurrent callers each see nil and each make one.
func Default() *Cache {
	if cache == nil {
		cache = newCache()
	}
	return cache
}

type Conn struct{ addr string }

// down makes the first dial fail, as a dependency that is not up yet.
var down atomic.Bool

func init() { down.Store(true) }

func dial(addr string) (*Conn, error) {
	if down.Swap(false) {
		return nil, errors.New("connection refused")
	}
	return &Conn{addr: addr}, nil
}

var conn *Conn

// Primary is racy too, and can fail.
func Primary() (*Conn, error) {
	if conn == nil {
		c, err := dial("primary:5432")
		if err != nil {
			return nil, err
		}
		conn = c
	}
	return conn, nil
}

var (
	replicaOnce sync.Once
	replica     *Conn
	replicaErr  error
)

// Replica keeps its first failure for ever.
func Replica(ctx context.Context) (*Conn, error) {
	replicaOnce.Do(func() {
		replica, replicaErr = dialReplica(ctx)
	})
	return replica, replicaErr
}

var replicaDown atomic.Bool

func init() { replicaDown.Store(true) }

func dialReplica(ctx context.Context) (*Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if replicaDown.Swap(false) {
		return nil, errors.New("connection refused")
	}
	return &Conn{addr: "replica:5432"}, nil
}
