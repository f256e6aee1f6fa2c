// Package nofix does not depend on the runtime: the diagnostic names
// task.Go but offers no fix.
package nofix

func work() {}

func start() {
	go work() // want `start it with task.Go`
}
