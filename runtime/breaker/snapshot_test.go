package breaker_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

func TestStateText(t *testing.T) {
	for _, s := range []breaker.State{breaker.StateClosed, breaker.StateHalfOpen, breaker.StateOpen} {
		text, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back breaker.State
		if err := back.UnmarshalText(text); err != nil || back != s {
			t.Errorf("%v: round trip gave %v, %v", s, back, err)
		}
	}
	if _, err := breaker.State(7).MarshalText(); err == nil {
		t.Error("MarshalText(7) = nil error")
	}
	var s breaker.State
	if err := s.UnmarshalText([]byte("ajar")); err == nil {
		t.Error(`UnmarshalText("ajar") = nil error`)
	}
	if got := breaker.State(7).String(); got != "State(7)" {
		t.Errorf("String = %q", got)
	}
}

func TestSnapshotJSON(t *testing.T) {
	b := get(t, breaker.Settings{})
	_ = b.Do(context.Background(), fail)
	data, err := json.Marshal(b.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"state":"closed"`) || !strings.Contains(string(data), `"totalFailures":1`) {
		t.Errorf("encoded %s", data)
	}
	var s breaker.Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	c, _ := breaker.Get(b.Name()+"/restored", breaker.Settings{})
	if err := c.Restore(s); err != nil {
		t.Fatal(err)
	}
	if c.Counts() != b.Counts() {
		t.Errorf("restored counts %+v, want %+v", c.Counts(), b.Counts())
	}
}

func TestRestoreRejects(t *testing.T) {
	b := get(t, breaker.Settings{})
	for _, s := range []breaker.Snapshot{
		{State: 9},
		{State: breaker.StateOpen, OpenFor: -time.Second},
		{Counts: breaker.Counts{Requests: 1, TotalFailures: 1, TotalSuccesses: 1}},
	} {
		if err := b.Restore(s); err == nil {
			t.Errorf("Restore(%+v) = nil", s)
		}
	}
	if err := json.Unmarshal([]byte(`{"state":"ajar"}`), new(breaker.Snapshot)); err == nil {
		t.Error("decoding an unknown state succeeded")
	}
}

// TestRestoreDropsCallsInFlight: a half-open snapshot taken with its probe
// in flight restores with the slot free.
func TestRestoreDropsCallsInFlight(t *testing.T) {
	b := get(t, breaker.Settings{Timeout: time.Hour})
	half := b.Snapshot()
	half.State = breaker.StateHalfOpen
	if err := b.Restore(half); err != nil {
		t.Fatal(err)
	}
	done, err := b.Allow(context.Background()) // takes the only slot
	if err != nil {
		t.Fatal(err)
	}
	s := b.Snapshot()
	if _, err := b.Allow(context.Background()); !errors.Is(err, breaker.ErrOpen) {
		t.Fatalf("second probe: %v, want a refusal", err)
	}
	c, _ := breaker.Get(b.Name()+"/next", breaker.Settings{Timeout: time.Hour})
	if err := c.Restore(s); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Allow(context.Background()); err != nil {
		t.Errorf("probe after Restore: %v, want the slot free", err)
	}
	done(nil)
}
