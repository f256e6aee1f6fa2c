// Package runtimecmp compares resilvet's runtime packages with the libraries
// they are measured against — golang.org/x/sync's errgroup and singleflight,
// github.com/sony/gobreaker/v2 (also the breaker's differential oracle) and
// github.com/cenkalti/backoff/v5 — in benchmarks and in tests that show the
// gaps the runtime fills. It is a separate module so that none of them ever
// enters the runtime module's requirements; it has no code of its own.
package runtimecmp
