package breaker_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

func TestGetSharesOneBreaker(t *testing.T) {
	s := breaker.Settings{Timeout: 60 * time.Second, MaxRequests: 1}
	a := get(t, s)
	b, err := breaker.Get(a.Name(), breaker.Settings{}) // the same after defaults
	if err != nil || a != b {
		t.Fatalf("second Get = %p, %v; want %p", b, err, a)
	}
	b.ForceOpen(time.Hour)
	if a.State() != breaker.StateOpen {
		t.Error("state not shared")
	}
	if !strings.HasPrefix(a.Name(), t.Name()+"#") {
		t.Errorf("Name = %q", a.Name())
	}
}

func TestGetDifferentSettings(t *testing.T) {
	var firstCalls int
	first := breaker.Settings{Timeout: time.Minute, OnStateChange: func(string, breaker.State, breaker.State) { firstCalls++ }}
	a := get(t, first)
	for _, tc := range []struct {
		s     breaker.Settings
		field string
	}{
		{breaker.Settings{Timeout: time.Second, OnStateChange: first.OnStateChange}, "Timeout"},
		{breaker.Settings{Timeout: time.Minute}, "OnStateChange"},
		{breaker.Settings{Timeout: time.Minute, MaxRequests: 3, OnStateChange: first.OnStateChange}, "MaxRequests"},
		{breaker.Settings{Timeout: time.Minute, Interval: time.Second, OnStateChange: first.OnStateChange}, "Interval"},
		{breaker.Settings{Timeout: time.Minute, IsExcluded: func(error) bool { return false }, OnStateChange: first.OnStateChange}, "IsExcluded"},
	} {
		b, err := breaker.Get(a.Name(), tc.s)
		if b != a || err == nil || !strings.HasSuffix(err.Error(), " in "+tc.field) {
			t.Errorf("Get with a different %s = %p, %v; want %p and an error naming it", tc.field, b, err, a)
		}
	}

	// Another func in the same field is the same settings, and the first
	// Get's func stays in use.
	secondCalls := 0
	b, err := breaker.Get(a.Name(), breaker.Settings{Timeout: time.Minute, OnStateChange: func(string, breaker.State, breaker.State) { secondCalls++ }})
	if b != a || err != nil {
		t.Fatalf("Get with another OnStateChange = %v", err)
	}
	b.ForceOpen(0)
	if firstCalls != 1 || secondCalls != 0 {
		t.Errorf("callbacks: first %d, second %d; want the first Get's only", firstCalls, secondCalls)
	}
	if s := b.Snapshot(); s.OpenFor <= 0 || s.OpenFor > time.Minute {
		t.Errorf("ForceOpen(0) opened for %v, want the first Get's 1m Timeout", s.OpenFor)
	}
}

func TestGetConcurrent(t *testing.T) {
	name := fmt.Sprintf("%s#%d", t.Name(), seq.Add(1))
	got := make([]*breaker.Breaker, 16)
	var wg sync.WaitGroup
	for i := range got {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := breaker.Get(name, breaker.Settings{})
			if err != nil {
				t.Error(err)
			}
			got[i] = b
		}()
	}
	wg.Wait()
	for _, b := range got {
		if b != got[0] {
			t.Fatal("concurrent Gets returned different breakers")
		}
	}
}
