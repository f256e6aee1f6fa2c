// Package ignore defines an Analyzer that checks resilvet's own suppression
// directives.
//
// # Analyzer ignore
//
// ignore: check //resilvet:ignore directives
//
// A finding is suppressed by a directive on its line or on the line above:
//
//	//resilvet:ignore fireforget the poller lives as long as the process
//	go poll()
//
// The directive names one or more analyzers, comma-separated, or single
// rules as analyzer/rule, and then gives a reason. Every driver honours it:
// the standalone command, go vet -vettool, golangci-lint and editors.
//
// # Rule malformed
//
// malformed: a directive that gives no reason, names an unknown analyzer or
// rule, or is spelled with a space after //
//
// A malformed directive suppresses nothing, so the finding it was meant for
// is still reported; this rule says why.
//
//	// WRONG
//	//resilvet:ignore fireforget
//	go poll() // directive gives no reason: say why the finding is acceptable after the analyzer names
//
//	// RIGHT
//	//resilvet:ignore fireforget the poller lives as long as the process
//	go poll()
//
// # Rule unused
//
// unused: a directive that suppresses nothing
//
// Reported by the standalone resilvet command only, after it has merged the
// findings of all packages and their test variants, and only for directives
// whose analyzers ran with all their rules on (and, in a _test.go file, with
// -NAME.tests): otherwise the finding a directive suppresses may simply not
// have been looked for. Other drivers see one package at a time and cannot
// tell.
//
//	// WRONG
//	//resilvet:ignore fireforget waited for below // directive suppresses nothing: remove it
//	wg.Go(poll)
//
//	// RIGHT
//	wg.Go(poll)
package ignore
