package singleton_test

import (
	"context"
	"sync"
	"testing"

	"github.com/resilvet/resilvet/runtime/singleton"
)

var sink *conn

// The fast path, a Get once the value is constructed, against
// sync.OnceValue, the standard library's lazy value, which is what the
// halfinit analyzer's fix writes when a constructor cannot fail. Lazy's Get
// also returns an error, and takes a context it does not look at once the
// value is ready.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	newConn := func() *conn { return &conn{id: 1} }

	b.Run("sync.OnceValue", func(b *testing.B) {
		get := sync.OnceValue(newConn)
		get()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			sink = get()
		}
	})
	b.Run("Lazy", func(b *testing.B) {
		l := &singleton.Lazy[*conn]{New: func(context.Context) (*conn, error) { return newConn(), nil }}
		if _, err := l.Get(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			c, err := l.Get(ctx)
			if err != nil {
				b.Fatal(err)
			}
			sink = c
		}
	})
	b.Run("sync.OnceValue/parallel", func(b *testing.B) {
		get := sync.OnceValue(newConn)
		get()
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			var c *conn
			for pb.Next() {
				c = get()
			}
			sink = c
		})
	})
	b.Run("Lazy/parallel", func(b *testing.B) {
		l := &singleton.Lazy[*conn]{New: func(context.Context) (*conn, error) { return newConn(), nil }}
		if _, err := l.Get(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			var c *conn
			for pb.Next() {
				c, _ = l.Get(ctx)
			}
			sink = c
		})
	})
}
