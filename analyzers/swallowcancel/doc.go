// Package swallowcancel defines an Analyzer that reports cancellation
// swallowed by error handling.
//
// # Analyzer swallowcancel
//
// swallowcancel: report error handling that swallows the cancellation of a context
//
// TODO.
//
// # Rule swallowed
//
// swallowed: a ctx error handled as any other failure, after which the loop goes on
//
// # Rule done-ignored
//
// done-ignored: a case <-ctx.Done() that does not leave the loop
//
// # Rule nil-on-cancel
//
// nil-on-cancel: a nil error returned for a ctx error
//
// # Rule compare
//
// compare: err == context.Canceled on an error that may wrap it
package swallowcancel
