// Package sample defines a stand-in analyzer for the driver's tests.
//
// # Analyzer sample
//
// sample: report calls to Hazard, marked functions and go statements
//
// # Rule hazard
//
// hazard: a call to a function named Hazard
//
//	Hazard() // call to Hazard is hazardous
//
// # Rule marked
//
// marked: a call to a function whose name starts with Mark, in any package
// (found through an object fact, so it works across packages in vet mode)
//
// # Rule spawn
//
// spawn: a go statement; the fix starts it with task.Go instead
//
// # Rule beta
//
// beta: a function named Beta (off by default)
package sample
