package guard_test

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/resilvet/resilvet/runtime/guard"
)

// Optional is meant to sit where a dependency is used, possibly on a hot
// path; after the first warning a failure must cost little.
func BenchmarkOptional(b *testing.B) {
	b.Run("ok", func(b *testing.B) {
		n := 0
		for i := 0; i < b.N; i++ {
			if guard.Optional("geoip", nil) {
				n++
			}
		}
		if n != b.N {
			b.Fatal("Optional(name, nil) = false")
		}
	})
	b.Run("failing/already-warned", func(b *testing.B) {
		guard.ResetOptional(b, slog.New(&recorder{level: slog.LevelDebug}))
		err := errors.New("geoip database missing")
		guard.Optional("geoip", err) // the one warning
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				guard.Optional("geoip", err)
			}
		})
	})
}

func BenchmarkSQLDriver(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := guard.SQLDriver(fakeDriverName); err != nil {
			b.Fatal(err)
		}
	}
}
