package checkpoint_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/checkpoint"
)

type vm struct {
	ID    string
	State string
}

type table struct {
	VMs []vm
}

var sample = table{VMs: []vm{{"vm-1", "running"}, {"vm-2", "stopped"}}}

func newStore(t *testing.T) *checkpoint.Store[table] {
	return &checkpoint.Store[table]{Path: filepath.Join(t.TempDir(), "vms.ckpt")}
}

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestSaveLoad(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := s.Save(ctx, sample); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Errorf("Load = %+v, want %+v", got, sample)
	}
	data, err := os.ReadFile(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	header, payload, _ := strings.Cut(string(data), "\n")
	if !regexp.MustCompile(`^resilvet-checkpoint/1 v=1 len=\d+ crc32c=[0-9a-f]{8}$`).MatchString(header) {
		t.Errorf("header %q", header)
	}
	if want := `{"VMs":[{"ID":"vm-1","State":"running"},{"ID":"vm-2","State":"stopped"}]}`; payload != want {
		t.Errorf("payload %s, want %s", payload, want)
	}
	info, err := os.Stat(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode %v, want 0600", perm)
	}
	if got := names(t, filepath.Dir(s.Path)); len(got) != 1 {
		t.Errorf("directory holds %q, want only the checkpoint", got)
	}
}

func TestSaveReplaces(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for i := 0; i < 3; i++ {
		v := table{VMs: []vm{{ID: strings.Repeat("x", 100-40*i)}}} // shrinking: no stale tail
		if err := s.Save(ctx, v); err != nil {
			t.Fatal(err)
		}
		got, err := s.Load(ctx)
		if err != nil || !reflect.DeepEqual(got, v) {
			t.Fatalf("save %d: Load = %+v, %v", i, got, err)
		}
	}
}

func TestLoadMissing(t *testing.T) {
	s := newStore(t)
	_, err := s.Load(context.Background())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load = %v, want an error wrapping fs.ErrNotExist", err)
	}
}

// valid returns the bytes of a checkpoint of sample.
func valid(t *testing.T) []byte {
	t.Helper()
	s := newStore(t)
	if err := s.Save(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestLoadCorrupt(t *testing.T) {
	good := valid(t)
	nl := bytes.IndexByte(good, '\n')
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x01
		return b
	}
	undecodable := func() []byte { // intact, but not a table
		s := &checkpoint.Store[string]{Path: filepath.Join(t.TempDir(), "s")}
		if err := s.Save(context.Background(), "just a string"); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(s.Path)
		return b
	}()
	for _, tc := range []struct {
		name, why string
		data      []byte
	}{
		{"empty", "empty file", nil},
		{"plain json", "no checkpoint header", []byte(`{"VMs":[]}`)},
		{"header only, cut", "truncated or bad checkpoint header", good[:nl-3]},
		{"payload truncated", "truncated: ", good[:len(good)-5]},
		{"payload extended", "5 bytes after the", append(bytes.Clone(good), "extra"...)},
		{"payload bit flipped", "checksum mismatch", flip(len(good) - 3)},
		{"version digit changed", "checksum mismatch", bytes.Replace(good, []byte("v=1"), []byte("v=7"), 1)}, // not a newer version: a damaged one
		{"bad header field", "bad checkpoint header", bytes.Replace(good, []byte("len="), []byte("size="), 1)},
		{"undecodable", "decode: json: cannot unmarshal string", undecodable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			if err := os.WriteFile(s.Path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load(context.Background())
			var ce *checkpoint.CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want a *CorruptError", err)
			}
			if !strings.Contains(ce.Err.Error(), tc.why) {
				t.Errorf("reason %q, want it to say %q", ce.Err, tc.why)
			}
			if ce.Path != s.Path || !strings.HasPrefix(ce.MovedTo, s.Path+".corrupt-") {
				t.Errorf("Path %q MovedTo %q", ce.Path, ce.MovedTo)
			}
			if !strings.Contains(err.Error(), "moved to "+ce.MovedTo) {
				t.Errorf("message %q does not say where the file went", err)
			}
			moved, rerr := os.ReadFile(ce.MovedTo)
			if rerr != nil || !bytes.Equal(moved, tc.data) {
				t.Errorf("moved-aside file: %v, content changed: %v", rerr, !bytes.Equal(moved, tc.data))
			}
			if _, err := os.Lstat(s.Path); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("corrupt file still at Path: %v", err)
			}
			// The next start finds no file and begins anew.
			if _, err := s.Load(context.Background()); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("second Load = %v, want fs.ErrNotExist", err)
			}
		})
	}
}

// A second corrupt file in the same second must not replace the first one
// moved aside: either may be the only copy of the state.
func TestCorruptFilesAreNeverOverwritten(t *testing.T) {
	s := newStore(t)
	var moved []string
	for i := 0; i < 3; i++ {
		content := []byte(strings.Repeat("garbage ", i+1))
		if err := os.WriteFile(s.Path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := s.Load(context.Background())
		var ce *checkpoint.CorruptError
		if !errors.As(err, &ce) {
			t.Fatalf("Load = %v, want a *CorruptError", err)
		}
		moved = append(moved, ce.MovedTo)
	}
	seen := map[string]bool{}
	for i, m := range moved {
		if seen[m] {
			t.Fatalf("two corrupt files moved to %s", m)
		}
		seen[m] = true
		b, err := os.ReadFile(m)
		if err != nil || string(b) != strings.Repeat("garbage ", i+1) {
			t.Errorf("%s holds %q, %v; want corrupt file %d", m, b, err, i)
		}
	}
}

func TestLoadNewerVersion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "vms.ckpt")
	newer := &checkpoint.Store[table]{Path: path, Version: 3}
	if err := newer.Save(ctx, sample); err != nil {
		t.Fatal(err)
	}
	older := &checkpoint.Store[table]{Path: path, Version: 2}
	_, err := older.Load(ctx)
	var ve *checkpoint.VersionError
	if !errors.As(err, &ve) {
		t.Fatalf("Load = %v, want a *VersionError", err)
	}
	if *ve != (checkpoint.VersionError{Path: path, Version: 3, Max: 2}) {
		t.Errorf("VersionError = %+v", *ve)
	}
	if want := "checkpoint: " + path + " has format version 3; this program reads up to 2"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"vms.ckpt"}) {
		t.Errorf("directory holds %q; a newer file must stay where it is", got)
	}
	// The zero Version is 1, and reads nothing newer either.
	if _, err := (&checkpoint.Store[table]{Path: path}).Load(ctx); !errors.As(err, &ve) {
		t.Errorf("Load with Version 0 = %v, want a *VersionError", err)
	}
	// An upgraded program reads the older files.
	got, err := (&checkpoint.Store[table]{Path: path, Version: 4}).Load(ctx)
	if err != nil || !reflect.DeepEqual(got, sample) {
		t.Errorf("Load with Version 4 = %+v, %v", got, err)
	}
}

func TestLoadNewerLayout(t *testing.T) {
	s := newStore(t)
	if err := os.WriteFile(s.Path, []byte("resilvet-checkpoint/2 whatever layout 2 has\n..."), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load(context.Background())
	var ve *checkpoint.VersionError
	if !errors.As(err, &ve) || !ve.Layout || ve.Version != 2 || ve.Max != 1 {
		t.Fatalf("Load = %#v, want a *VersionError for layout 2", err)
	}
	if _, err := os.Stat(s.Path); err != nil {
		t.Errorf("file of a newer layout was moved: %v", err)
	}
}

func TestSaveFailureKeepsPreviousFile(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := s.Save(ctx, sample); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path)
	s.Codec = codec{marshal: func(any) ([]byte, error) { return nil, errDisk }}
	if err := s.Save(ctx, table{}); !errors.Is(err, errDisk) {
		t.Fatalf("Save = %v, want the codec's error", err)
	}
	after, _ := os.ReadFile(s.Path)
	if !bytes.Equal(before, after) {
		t.Error("a failed Save changed the file")
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Save(canceled, table{}); err != context.Canceled {
		t.Errorf("Save with a done ctx = %v, want context.Canceled", err)
	}

	missing := &checkpoint.Store[table]{Path: filepath.Join(t.TempDir(), "no", "such", "dir", "f")}
	if err := missing.Save(ctx, sample); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Save into a missing directory = %v, want fs.ErrNotExist", err)
	}
	if got := names(t, filepath.Dir(s.Path)); len(got) != 1 {
		t.Errorf("directory holds %q: a temporary file was left behind", got)
	}
}

func TestLoadRemovesLeftoverTemps(t *testing.T) {
	s := newStore(t)
	dir := filepath.Dir(s.Path)
	for _, name := range []string{"vms.ckpt.tmp-12345", "vms.ckpt.tmp-99", "vms.ckpt.tmp-notours", "other.tmp-123", "vms.ckpt.corrupt-20260101T000000Z"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Save(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"other.tmp-123", "vms.ckpt", "vms.ckpt.corrupt-20260101T000000Z", "vms.ckpt.tmp-notours"}
	if got := names(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("after Load the directory holds %q, want %q", got, want)
	}
}

func TestEmptyPathPanics(t *testing.T) {
	for name, call := range map[string]func(s *checkpoint.Store[int]){
		"Save": func(s *checkpoint.Store[int]) { _ = s.Save(context.Background(), 1) },
		"Load": func(s *checkpoint.Store[int]) { _, _ = s.Load(context.Background()) },
		"Every": func(s *checkpoint.Store[int]) {
			_ = s.Every(context.Background(), time.Second, 0, func() (int, bool) { return 0, false })
		},
	} {
		func() {
			defer func() {
				if msg, _ := recover().(string); msg != "checkpoint: Store.Path is empty" {
					t.Errorf("%s on a zero Store: panic %q", name, msg)
				}
			}()
			call(&checkpoint.Store[int]{})
		}()
	}
}

func TestConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	s := &checkpoint.Store[[]int]{Path: filepath.Join(t.TempDir(), "n.ckpt")}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := make([]int, 1000*(i+1))
			for j := range v {
				v[j] = i
			}
			if err := s.Save(ctx, v); err != nil {
				t.Error(err)
			}
			if _, err := s.Load(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range got {
		if x != got[0] || len(got) != 1000*(got[0]+1) {
			t.Fatalf("loaded a mix of saves: len %d, first %d, found %d", len(got), got[0], x)
		}
	}
}

// With no Tasks, Every runs in runtime/task's default group. The test cannot
// shut that group down (it stays closed for the test binary), so it ends the
// loop with ctx and watches for the last save.
func TestEveryDefaultGroup(t *testing.T) {
	s := &checkpoint.Store[int]{Path: filepath.Join(t.TempDir(), "n.ckpt")}
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Every(ctx, time.Hour, 0, func() (int, bool) { return 42, true }); err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := s.Load(context.Background())
		if err == nil && got == 42 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no last save after the ctx was cancelled: Load = %v, %v", got, err)
		}
		time.Sleep(time.Millisecond)
	}
}
