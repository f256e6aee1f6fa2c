//go:build go1.25

// The //go:debug line synctest needs is in synctest_test.go: a package may
// carry only one per setting.

package checkpoint_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/checkpoint"
)

// An open breaker saved in a checkpoint is still open after a restart, for
// the time it had left, less the time the process was down.
func TestBreakerSurvivesRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "breakers.ckpt")
		down := errors.New("vm api down")
		calls := 0
		call := func(context.Context) error { calls++; return down }

		// The first process: six failures trip the breaker (Timeout 60s).
		{
			var b breaker.Breaker
			for i := 0; i < 6; i++ {
				_ = b.Do(ctx, call)
			}
			if b.State() != breaker.StateOpen {
				t.Fatalf("after 6 failures the breaker is %v, want open", b.State())
			}
			time.Sleep(20 * time.Second) // 40s left
			store := &checkpoint.Store[map[string]breaker.Snapshot]{Path: path}
			if err := store.Save(ctx, map[string]breaker.Snapshot{"vmapi": b.Snapshot()}); err != nil {
				t.Fatal(err)
			}
		}

		time.Sleep(5 * time.Second) // the restart: 35s left

		// The next process.
		store := &checkpoint.Store[map[string]breaker.Snapshot]{Path: path}
		saved, err := store.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var b breaker.Breaker
		if err := b.Restore(saved["vmapi"]); err != nil {
			t.Fatal(err)
		}
		restarted := time.Now()
		calls = 0
		err = b.Do(ctx, call)
		var open *breaker.OpenError
		if !errors.As(err, &open) || calls != 0 {
			t.Fatalf("restored breaker: Do = %v with %d calls through, want an *OpenError and none", err, calls)
		}
		time.Sleep(35*time.Second - time.Nanosecond)
		if s := b.State(); s != breaker.StateOpen {
			t.Errorf("%v after the restart the breaker is %v, want still open", time.Since(restarted), s)
		}
		time.Sleep(time.Nanosecond)
		if s := b.State(); s != breaker.StateHalfOpen {
			t.Errorf("%v after the restart the breaker is %v, want half-open: its 60s are over", time.Since(restarted), s)
		}
	})
}
