// Package runtimecmp compares resilvet's runtime packages with the libraries
// they are measured against — golang.org/x/sync's errgroup and singleflight —
// in benchmarks and in tests that show the gaps the runtime fills. It is a
// separate module so that x/sync never enters the runtime module's
// requirements; it has no code of its own.
package runtimecmp
