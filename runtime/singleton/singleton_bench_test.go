package singleton_test

import (
	"context"
	"sync"
	"testing"

	"github.com/resilvet/resilvet/runtime/singleton"
)

// The fast path, a Get once the value is constructed, against
// sync.OnceValue, the standard library's lazy value and what the halfinit
// analyzer's fix writes when a constructor cannot fail. Lazy's Get also
// returns an error, and takes a context it does not look at once the value is
// ready.
//
// Both are package-level variables, as singletons are: a call through a
// package-level func variable cannot be inlined. The local form, which lets
// the compiler see which closure OnceValue returned and inline it into the
// loop, is measured too; it is the best case for OnceValue, and rare in
// real code.

var (
	sink *conn

	onceConn = sync.OnceValue(newConn)
	lazyConn = singleton.Lazy[*conn]{New: func(context.Context) (*conn, error) { return newConn(), nil }}
)

func newConn() *conn { return &conn{id: 1} }

func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	onceConn()
	if _, err := lazyConn.Get(ctx); err != nil {
		b.Fatal(err)
	}

	b.Run("mode=serial/impl=sync.OnceValue", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink = onceConn()
		}
	})
	b.Run("mode=serial/impl=Lazy", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c, err := lazyConn.Get(ctx)
			if err != nil {
				b.Fatal(err)
			}
			sink = c
		}
	})
	b.Run("mode=parallel/impl=sync.OnceValue", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var c *conn
			for pb.Next() {
				c = onceConn()
			}
			sink = c
		})
	})
	b.Run("mode=parallel/impl=Lazy", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var c *conn
			for pb.Next() {
				c, _ = lazyConn.Get(ctx)
			}
			sink = c
		})
	})
	b.Run("mode=serial-local/impl=sync.OnceValue", func(b *testing.B) {
		get := sync.OnceValue(newConn)
		get()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			sink = get()
		}
	})
	b.Run("mode=serial-local/impl=Lazy", func(b *testing.B) {
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
}
