package coord_test

import (
	"os"
	"testing"

	"github.com/resilvet/resilvet/runtime/coord"
)

// The peers are what the post-mortem used: an environment variable read with
// os.Getenv, and set and cleared by hand.

func BenchmarkUp(b *testing.B) {
	b.Run("Flag.Up", func(b *testing.B) {
		var f coord.Flag
		lower := f.Raise()
		defer lower()
		for i := 0; i < b.N; i++ {
			if !f.Up() {
				b.Fatal("down")
			}
		}
	})
	b.Run("os.Getenv", func(b *testing.B) {
		b.Setenv(key, "1")
		for i := 0; i < b.N; i++ {
			if os.Getenv(key) != "1" {
				b.Fatal("unset")
			}
		}
	})
}

func BenchmarkRaise(b *testing.B) {
	b.Run("Flag.Raise+lower", func(b *testing.B) {
		b.ReportAllocs()
		var f coord.Flag
		for i := 0; i < b.N; i++ {
			f.Raise()()
		}
	})
	b.Run("SetEnv+restore", func(b *testing.B) {
		b.ReportAllocs()
		b.Setenv(key, "")
		os.Unsetenv(key)
		for i := 0; i < b.N; i++ {
			coord.SetEnv(key, "1")()
		}
	})
	b.Run("os.Setenv+Unsetenv", func(b *testing.B) {
		b.ReportAllocs()
		b.Setenv(key, "")
		for i := 0; i < b.N; i++ {
			os.Setenv(key, "1")
			os.Unsetenv(key)
		}
	})
}
