package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

// callers is how many goroutines call each getter at once.
const callers = 16

// TestDefault: every caller gets the one cache. Before the fix the race
// detector reports the unsynchronised lazy initialisation.
func TestDefault(t *testing.T) {
	got := make([]*Cache, callers)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = Default()
		}()
	}
	wg.Wait()
	for _, c := range got {
		if c != got[0] {
			t.Fatal("two callers got two caches")
		}
	}
}

// TestPrimary: callers that retry a failed dial all end up with the one
// connection. Before the fix the race detector reports the lazy dial.
func TestPrimary(t *testing.T) {
	got := make([]*Conn, callers)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) {
				if c, err := Primary(); err == nil {
					got[i] = c
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	for _, c := range got {
		if c == nil || c != got[0] {
			t.Fatalf("callers got %v: want one connection for all", got)
		}
	}
}

// TestReplica: a dial that failed once is tried again. Before the fix the
// Once keeps the first failure for ever.
func TestReplica(t *testing.T) {
	ctx := context.Background()
	if _, err := Replica(ctx); err == nil {
		t.Fatal("the first dial succeeded: want the replica down at first")
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := Replica(ctx); err == nil && c != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("Replica still fails: the first failure was kept")
}
