package coord_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/coord"
)

// The environment is process-global, so none of these tests runs in
// parallel, and each starts from a state it sets with t.Setenv, whose
// cleanup puts the variable back as the test binary found it.

const key = "RESILVET_COORD_TEST"

// unsetEnv unsets key for the rest of the test.
func unsetEnv(t *testing.T) {
	t.Helper()
	t.Setenv(key, "")
	if err := os.Unsetenv(key); err != nil {
		t.Fatal(err)
	}
}

// env describes key's state: "unset" or its value quoted.
func env() string {
	v, ok := os.LookupEnv(key)
	if !ok {
		return "unset"
	}
	return fmt.Sprintf("%q", v)
}

// warnings captures what slog.Default() logs during the test.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) Enabled(context.Context, slog.Level) bool { return true }
func (w *warnings) WithAttrs([]slog.Attr) slog.Handler       { return w }
func (w *warnings) WithGroup(string) slog.Handler            { return w }

func (w *warnings) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%s", a.Key, a.Value)
		return true
	})
	w.mu.Lock()
	w.msgs = append(w.msgs, b.String())
	w.mu.Unlock()
	return nil
}

func (w *warnings) got() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.msgs...)
}

func captureDefault(t *testing.T) *warnings {
	w := &warnings{}
	old := slog.Default()
	slog.SetDefault(slog.New(w))
	t.Cleanup(func() { slog.SetDefault(old) })
	return w
}

func TestSetEnvRestoresUnset(t *testing.T) {
	unsetEnv(t)
	restore := coord.SetEnv(key, "booting")
	if got := env(); got != `"booting"` {
		t.Fatalf("after SetEnv: %s, want \"booting\"", got)
	}
	restore()
	if got := env(); got != "unset" {
		t.Fatalf("after restore: %s, want unset (not empty)", got)
	}
}

func TestSetEnvRestoresOldValue(t *testing.T) {
	for _, old := range []string{"", "old"} {
		t.Setenv(key, old)
		restore := coord.SetEnv(key, "new")
		restore()
		if got, want := env(), fmt.Sprintf("%q", old); got != want {
			t.Errorf("after restore: %s, want %s", got, want)
		}
	}
}

func TestSetEnvRestoreIsIdempotent(t *testing.T) {
	unsetEnv(t)
	restore := coord.SetEnv(key, "a")
	restore()
	os.Setenv(key, "someone else's")
	w := captureDefault(t)
	restore() // must not touch the variable again, nor warn
	if got := env(); got != `"someone else's"` {
		t.Errorf("second restore changed the variable: %s", got)
	}
	if msgs := w.got(); len(msgs) != 0 {
		t.Errorf("second restore logged %q", msgs)
	}
}

func TestSetEnvRestoresAfterPanic(t *testing.T) {
	unsetEnv(t)
	func() {
		defer func() { _ = recover() }()
		defer coord.SetEnv(key, "booting")()
		panic("boot failed")
	}()
	if got := env(); got != "unset" {
		t.Errorf("after a panic: %s, want unset", got)
	}
}

// The post-mortem's second bug: a helper that restored unconditionally
// destroyed a value other code had set in the meantime.
func TestSetEnvLeavesOtherCodesValue(t *testing.T) {
	for _, change := range []string{"set", "unset"} {
		t.Run(change, func(t *testing.T) {
			unsetEnv(t)
			w := captureDefault(t)
			restore := coord.SetEnv(key, "ours")
			if change == "set" {
				os.Setenv(key, "theirs")
			} else {
				os.Unsetenv(key)
			}
			before := env()
			restore()
			if got := env(); got != before {
				t.Errorf("restore changed %s to %s; other code owns the variable now", before, got)
			}
			msgs := w.got()
			if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "WARN coord: SetEnv restore left the variable alone") ||
				!strings.Contains(msgs[0], "key="+key) {
				t.Fatalf("logged %q, want one warning naming the key", msgs)
			}
			if strings.Contains(msgs[0], "ours") || strings.Contains(msgs[0], "theirs") {
				t.Errorf("warning %q shows a value; values may be secrets", msgs[0])
			}
		})
	}
}

func TestSetEnvOutOfOrder(t *testing.T) {
	unsetEnv(t)
	ra := coord.SetEnv(key, "a")
	rb := coord.SetEnv(key, "b")
	ra()
	if got := env(); got != `"b"` {
		t.Errorf("after restoring the overridden call: %s, want \"b\"", got)
	}
	rb()
	if got := env(); got != "unset" {
		t.Errorf("after restoring both: %s, want unset (a has ended, so not \"a\")", got)
	}
}

// Other code changed the variable between two SetEnv calls: the later call
// restores that code's value whichever order the calls are restored in.
func TestSetEnvOutOfOrderAroundOtherCode(t *testing.T) {
	for _, order := range []string{"ab", "ba"} {
		t.Run(order, func(t *testing.T) {
			unsetEnv(t)
			captureDefault(t)
			ra := coord.SetEnv(key, "a")
			os.Setenv(key, "theirs")
			rb := coord.SetEnv(key, "b")
			if order == "ab" {
				ra()
				rb()
			} else {
				rb()
				ra()
			}
			if got := env(); got != `"theirs"` {
				t.Errorf("after restoring %s: %s, want \"theirs\"", order, got)
			}
		})
	}
}

// With only SetEnv touching the variable, whatever order calls are restored
// in, the variable holds the value of the latest call not yet restored, or
// its first state once all are.
func TestSetEnvNestingAnyOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 500; round++ {
		initial := "unset"
		if rng.Intn(2) == 0 {
			unsetEnv(t)
		} else {
			t.Setenv(key, "initial")
			initial = `"initial"`
		}
		n := 1 + rng.Intn(6)
		values := make([]string, n)
		restores := make([]func(), n)
		for i := range values {
			values[i] = fmt.Sprint(rng.Intn(3)) // repeats on purpose
			restores[i] = coord.SetEnv(key, values[i])
		}
		live := make([]bool, n)
		for i := range live {
			live[i] = true
		}
		for _, i := range rng.Perm(n) {
			restores[i]()
			live[i] = false
			want := initial
			for j := n - 1; j >= 0; j-- {
				if live[j] {
					want = fmt.Sprintf("%q", values[j])
					break
				}
			}
			if got := env(); got != want {
				t.Fatalf("round %d: values %q, after restoring #%d (live %v): %s, want %s", round, values, i, live, got, want)
			}
		}
	}
}

func TestSetEnvInvalidKeyPanics(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.HasPrefix(msg, `coord: SetEnv("A=B")`) {
			t.Errorf("panic %q, want one starting coord: SetEnv(\"A=B\")", msg)
		}
		if _, ok := os.LookupEnv("A"); ok {
			t.Error("a failed SetEnv set something")
		}
	}()
	coord.SetEnv("A=B", "x")
}

func TestSetEnvConcurrentKeys(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		k := fmt.Sprintf("%s_%d", key, i)
		t.Setenv(k, "")
		os.Unsetenv(k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				restore := coord.SetEnv(k, "x")
				if v := os.Getenv(k); v != "x" {
					t.Errorf("%s = %q inside SetEnv, want x", k, v)
				}
				restore()
			}
		}()
	}
	wg.Wait()
	for i := 0; i < 8; i++ {
		if _, ok := os.LookupEnv(fmt.Sprintf("%s_%d", key, i)); ok {
			t.Errorf("%s_%d left set", key, i)
		}
	}
}

func TestFlagCountsRaises(t *testing.T) {
	var f coord.Flag // the zero value is a down flag
	if f.Up() || !f.Since().IsZero() {
		t.Fatalf("zero Flag: Up %v, Since %v; want down", f.Up(), f.Since())
	}
	lower1 := f.Raise()
	since := f.Since()
	if !f.Up() || since.IsZero() {
		t.Fatal("not up after Raise")
	}
	lower2 := f.Raise()
	if f.Since() != since {
		t.Error("a nested Raise moved Since")
	}
	lower1()
	lower1() // idempotent: must not lower the second raise
	if !f.Up() {
		t.Fatal("down with one raise still not lowered")
	}
	lower2()
	if f.Up() || !f.Since().IsZero() {
		t.Fatalf("after both lowers: Up %v, Since %v; want down", f.Up(), f.Since())
	}
	lower2()
	if f.Up() {
		t.Fatal("a repeated lower raised the flag")
	}
	f.Raise() // never lowered: stays up
	if !f.Up() {
		t.Fatal("extra lowers made the count negative")
	}
}

func TestFlagLowersAfterPanic(t *testing.T) {
	var f coord.Flag
	func() {
		defer func() { _ = recover() }()
		lower := f.Raise()
		defer lower()
		panic("boot failed")
	}()
	if f.Up() {
		t.Error("up after the raising function panicked")
	}
}

func TestFlagLogValue(t *testing.T) {
	f := coord.Flag{Name: "node.booting"}
	if got, want := f.LogValue().String(), "[name=node.booting up=false]"; got != want {
		t.Errorf("down: %s, want %s", got, want)
	}
	f.Raise()
	f.Raise()
	got := f.LogValue().String()
	want := fmt.Sprintf("[name=node.booting up=true since=%s raises=2]", f.Since().Round(0)) // slog drops the monotonic reading
	if got != want {
		t.Errorf("up: %s, want %s", got, want)
	}
}

func TestFlagConcurrent(t *testing.T) {
	var f coord.Flag
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				lower := f.Raise()
				if !f.Up() {
					t.Error("down while raised")
				}
				lower()
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wg.Wait()
	if err := f.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if f.Up() {
		t.Error("up after every raise was lowered")
	}
}
