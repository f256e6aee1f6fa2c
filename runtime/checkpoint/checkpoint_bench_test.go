package checkpoint_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/resilvet/resilvet/runtime/checkpoint"
)

// benchTable is a VM table of 1000 entries, about 45 KB of JSON.
func benchTable() map[string]vm {
	t := make(map[string]vm, 1000)
	for i := 0; i < 1000; i++ {
		id := fmt.Sprintf("vm-%04d", i)
		t[id] = vm{ID: id, State: "running"}
	}
	return t
}

// BenchmarkSave compares Save with the steps it adds to, each a peer in the
// same run: the post-mortem's sketch (a temporary file and a plain rename),
// the same with an fsync of the file before the rename (renameio's
// sequence), and a plain in-place write, which is not atomic at all. All
// encode the same table with encoding/json.
func BenchmarkSave(b *testing.B) {
	v := benchTable()
	ctx := context.Background()
	b.Run("checkpoint.Save", func(b *testing.B) {
		s := &checkpoint.Store[map[string]vm]{Path: filepath.Join(b.TempDir(), "vms.ckpt")}
		for i := 0; i < b.N; i++ {
			if err := s.Save(ctx, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("temp+fsync+rename", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "vms.json")
		for i := 0; i < b.N; i++ {
			writeRename(b, path, v, true)
		}
	})
	b.Run("temp+rename", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "vms.json")
		for i := 0; i < b.N; i++ {
			writeRename(b, path, v, false)
		}
	})
	b.Run("os.WriteFile", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "vms.json")
		for i := 0; i < b.N; i++ {
			data, err := json.Marshal(v)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o600); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func writeRename(b *testing.B, path string, v any, sync bool) {
	data, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "tmp-*")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		b.Fatal(err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	s := &checkpoint.Store[map[string]vm]{Path: filepath.Join(b.TempDir(), "vms.ckpt")}
	if err := s.Save(ctx, benchTable()); err != nil {
		b.Fatal(err)
	}
	b.Run("checkpoint.Load", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.Load(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReadFile+Unmarshal", func(b *testing.B) {
		data, _ := json.Marshal(benchTable())
		path := filepath.Join(b.TempDir(), "vms.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			var v map[string]vm
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
