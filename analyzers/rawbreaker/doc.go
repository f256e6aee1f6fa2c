// Package rawbreaker x
//
// # Analyzer rawbreaker
//
// rawbreaker: x
//
// # Rule handrolled
//
// handrolled: x
//
// # Rule foreign
//
// foreign: x
//
// # Rule per-call
//
// per-call: x
//
// # Rule no-jitter
//
// no-jitter: x
package rawbreaker
