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
//
// # Rule broken
//
// broken: a call to Breaks; the fix calls NoSuchFunc, so that the fixed
// code does not build
//
// # Rule sleep
//
// sleep: a call to time.Sleep; the fix calls the package's own pause
//
// # Rule bind
//
// bind: a call UseA(Next()); the fix binds the argument to a variable whose
// name is fresh in the code it sees
package sample
