//go:build go1.22

package lazy

import (
	"strings"
	"sync"
	"sync/atomic"
)

type Client struct{ addr string }

func newClient() *Client { return &Client{addr: "db:5432"} } // want newClient:"non-nil"

// A pointer singleton made without a lock: fixed with sync.OnceValue.
var client *Client

func Default() *Client {
	if client == nil { // want `lazy initialisation of client is not synchronised: concurrent callers race on it and may each build their own; use sync.OnceValue`
		client = newClient()
	}
	return client
}

// A map singleton.
var table map[string]int

func Table() map[string]int {
	if table == nil { // want `lazy initialisation of table is not synchronised`
		table = make(map[string]int)
	}
	return table
}

// A generic type and constructor.
type Registry[K comparable] struct{ m map[K]int }

func newRegistry[K comparable]() *Registry[K] { return &Registry[K]{m: make(map[K]int)} } // want newRegistry:"non-nil"

var names *Registry[string]

func Names() *Registry[string] {
	if names == nil { // want `lazy initialisation of names is not synchronised`
		names = newRegistry[string]()
	}
	return names
}

// A field of a package-level struct value: reported, no fix (the
// struct's other fields stay where they are).
var std struct {
	client *Client
	hits   int
}

func Std() *Client {
	if std.client == nil { // want `lazy initialisation of std.client is not synchronised: .*; use sync.OnceValue`
		std.client = &Client{}
	}
	return std.client
}

// The "" and 0 and len forms: reported, no fix (the zero value would be
// made again by the original, and kept by OnceValue).
var host string

func Host() string {
	if host == "" { // want `lazy initialisation of host is not synchronised`
		host = strings.ToLower("DB")
	}
	return host
}

// Silent: a constant is a default, not a singleton made.
var limit int

func Limit() int {
	if limit == 0 {
		limit = 64
	}
	return limit
}

// Silent: the first caller's argument is recorded, not a singleton made.
var mode string

func SetMode(m string) bool {
	if mode == "" {
		mode = m
		return true
	}
	return mode == m
}

// Silent: a registration fills the map it makes, without a lock: the
// function is single-threaded by design (called from init functions).
var drivers map[string]func() *Client

func Register(name string, f func() *Client) {
	if drivers == nil {
		drivers = make(map[string]func() *Client)
	}
	drivers[name] = f
}

// Silent: a flag's destination, defaulted after parsing.
var dir string

func Flags(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&dir, "dir", "", "the directory")
}

func Dir() string {
	if dir == "" {
		dir = strings.TrimSpace(" /var/lib ")
	}
	return dir
}

var peers []string

func Peers() []string {
	if len(peers) == 0 { // want `lazy initialisation of peers is not synchronised`
		peers = strings.Split("a,b", ",")
	}
	return peers
}

// A constructor that may return nil: reported, no fix (x == nil tries
// again after a nil; OnceValue would keep it).
func lookup() *Client {
	if strings.HasPrefix("x", "y") {
		return nil
	}
	return &Client{}
}

var maybe *Client

func Maybe() *Client {
	if maybe == nil { // want `lazy initialisation of maybe is not synchronised`
		maybe = lookup()
	}
	return maybe
}

// Used elsewhere too: reported, no fix.
var shared *Client

func Shared() *Client {
	if shared == nil { // want `lazy initialisation of shared is not synchronised`
		shared = &Client{}
	}
	return shared
}

func ResetShared() { shared = nil }

// An exported variable: other packages may use it, so no fix.
var Exported *Client

func GetExported() *Client {
	if Exported == nil { // want `lazy initialisation of Exported is not synchronised`
		Exported = &Client{}
	}
	return Exported
}

// Silent: the lock is held.
var (
	mu     sync.Mutex
	locked *Client
)

func Locked() *Client {
	mu.Lock()
	defer mu.Unlock()
	if locked == nil {
		locked = &Client{}
	}
	return locked
}

// Silent: a read lock upgraded by hand is still under a lock; a TryLock
// guards what it runs.
var (
	rw    sync.RWMutex
	tried *Client
)

func Tried() *Client {
	if !rw.TryLock() {
		return nil
	}
	defer rw.Unlock()
	if tried == nil {
		tried = &Client{}
	}
	return tried
}

// Reported: the lock is taken on one path only.
var sometimes *Client

func Sometimes(safe bool) *Client {
	if safe {
		mu.Lock()
		defer mu.Unlock()
	}
	if sometimes == nil { // want `lazy initialisation of sometimes is not synchronised`
		sometimes = &Client{}
	}
	return sometimes
}

// Reported: the lock is released before the check.
var released *Client

func Released() *Client {
	mu.Lock()
	mu.Unlock()
	if released == nil { // want `lazy initialisation of released is not synchronised`
		released = &Client{}
	}
	return released
}

// Silent: an unexported function whose callers all hold the lock.
var underCaller *Client

func fillLocked() {
	if underCaller == nil {
		underCaller = &Client{}
	}
}

func UnderCaller() *Client {
	mu.Lock()
	defer mu.Unlock()
	fillLocked()
	return underCaller
}

// Silent: init-only assignment, directly and through a function only
// init calls.
var (
	atInit   map[string]int
	viaSetup *Client
)

func init() {
	if atInit == nil {
		atInit = map[string]int{}
	}
	setup()
}

func setup() {
	if viaSetup == nil {
		viaSetup = &Client{}
	}
}

// Silent: the function of a Once.
var (
	once    sync.Once
	inOnce  *Client
	flag    atomic.Bool
	flagged *Client
)

func InOnce() *Client {
	once.Do(func() {
		if inOnce == nil {
			inOnce = &Client{}
		}
	})
	return inOnce
}

// Silent: a hand-made guard on an atomic; the analyzer does not judge it.
func Flagged() *Client {
	if !flag.CompareAndSwap(false, true) {
		return flagged
	}
	if flagged == nil {
		flagged = &Client{}
	}
	return flagged
}

// Reported: a function literal that may run on any goroutine.
var inGoroutine *Client

func Spawn() {
	go func() {
		if inGoroutine == nil { // want `lazy initialisation of inGoroutine is not synchronised`
			inGoroutine = &Client{}
		}
	}()
}

// Silent: a local variable shadows the package-level one.
func Shadowed() *Client {
	client := (*Client)(nil)
	if client == nil {
		client = &Client{}
	}
	return client
}

// Silent: the runtime's style of lock, a function pair lock/unlock.
type rtmutex struct{ key uintptr }

func lock(m *rtmutex)   {}
func unlock(m *rtmutex) {}

var (
	rtlock rtmutex
	rt     *Client
)

func Runtime() *Client {
	lock(&rtlock)
	if rt == nil {
		rt = &Client{}
	}
	unlock(&rtlock)
	return rt
}

// The constructor leads back to the getter: as an initialiser the
// OnceValue would make an initialisation cycle, so no fix.
var loop *Client

func newLoop() *Client { // want newLoop:"non-nil"
	if Loop != nil {
		return &Client{addr: "loop"}
	}
	return &Client{}
}

func Loop() *Client {
	if loop == nil { // want `lazy initialisation of loop is not synchronised`
		loop = newLoop()
	}
	return loop
}
