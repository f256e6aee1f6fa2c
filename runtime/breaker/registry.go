package breaker

import (
	"fmt"
	"sync"
	"time"
)

// registry holds the breakers Get has made, for the life of the process.
var registry struct {
	mu sync.Mutex
	m  map[string]*Breaker
}

// Get returns the breaker called name, making it with s on the first call
// for that name. It does not block, beyond a short lock. Breakers live for
// the life of the process; names are global to it, like expvar's.
//
// A later Get for the name must ask for the same settings. They compare by
// what they do: MaxRequests, Interval and Timeout after defaults (a Timeout
// of zero is the same as 60s), and each func field by whether it is set.
// Funcs cannot be compared in Go, and even the code pointer of one closure
// literal differs between the places its enclosing function is inlined, so a
// later Get's funcs are not compared further and not used: the first Get's
// are. If the settings differ, Get returns the registered breaker, which
// keeps its first settings, and an error naming the first field that
// differs: two parts of a program configuring one dependency differently is
// the fragmentation this registry exists to expose, and the caller decides
// whether to fail or to log it and go on with the shared breaker.
//
// Get panics with "breaker: Get with an empty name" if name is "".
func Get(name string, s Settings) (*Breaker, error) {
	if name == "" {
		panic("breaker: Get with an empty name")
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if b, ok := registry.m[name]; ok {
		if field := differ(&b.s, &s); field != "" {
			return b, fmt.Errorf("breaker: Get(%q): settings differ from the first Get's in %s", name, field)
		}
		return b, nil
	}
	b := &Breaker{name: name, s: s}
	if d := s.interval(); d > 0 {
		b.expiry = time.Now().Add(d)
	}
	if registry.m == nil {
		registry.m = make(map[string]*Breaker)
	}
	registry.m[name] = b
	return b, nil
}

// differ returns the name of the first field in which a and b differ, by
// Get's rules, or "".
func differ(a, b *Settings) string {
	switch {
	case a.maxRequests() != b.maxRequests():
		return "MaxRequests"
	case a.interval() != b.interval():
		return "Interval"
	case a.timeout() != b.timeout():
		return "Timeout"
	case (a.ReadyToTrip == nil) != (b.ReadyToTrip == nil):
		return "ReadyToTrip"
	case (a.OnStateChange == nil) != (b.OnStateChange == nil):
		return "OnStateChange"
	case (a.IsSuccessful == nil) != (b.IsSuccessful == nil):
		return "IsSuccessful"
	case (a.IsExcluded == nil) != (b.IsExcluded == nil):
		return "IsExcluded"
	}
	return ""
}
